import { Module } from '@nestjs/common';
import { ApplicationsRepository } from '../applications/applications.repository';
import { AssignmentsModule } from '../assignments/assignments.module';
import { AppealsController } from './appeals.controller';
import { AppealsRepository } from './appeals.repository';
import { AppealsService } from './appeals.service';

@Module({
  imports: [AssignmentsModule],
  controllers: [AppealsController],
  providers: [AppealsRepository, AppealsService, ApplicationsRepository],
})
export class AppealsModule {}
