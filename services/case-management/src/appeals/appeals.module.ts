import { Module } from '@nestjs/common';
import { CaseModule } from '../cases/case.module';
import { AppealController, CaseAppealController } from './appeals.controller';
import { AppealsRepository } from './appeals.repository';
import { AppealsService } from './appeals.service';

/** Appeals against a case's decisions and their review by a person. */
@Module({
  imports: [CaseModule],
  controllers: [CaseAppealController, AppealController],
  providers: [AppealsService, AppealsRepository],
  exports: [AppealsService],
})
export class AppealsModule {}
