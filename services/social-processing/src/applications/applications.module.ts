import { Module } from '@nestjs/common';
import { AssignmentsModule } from '../assignments/assignments.module';
import { EmploymentModule } from '../employment/employment.module';
import { PersonProjectionModule } from '../person-projection/person-projection.module';
import { ApplicationsController, ProgrammesController } from './applications.controller';
import { ApplicationsRepository } from './applications.repository';
import { ApplicationsService } from './applications.service';
import { VerificationConsumer } from './verification.consumer';

@Module({
  imports: [AssignmentsModule, PersonProjectionModule, EmploymentModule],
  controllers: [ApplicationsController, ProgrammesController],
  providers: [ApplicationsRepository, ApplicationsService, VerificationConsumer],
})
export class ApplicationsModule {}
