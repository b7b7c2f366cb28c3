import { Module } from '@nestjs/common';
import { CaseModule } from '../cases/case.module';
import { AssessmentsPlansController } from './assessments-plans.controller';
import { AssessmentsPlansRepository } from './assessments-plans.repository';
import { AssessmentsPlansService } from './assessments-plans.service';

/** Needs assessment acts and individual plans (versioned by correction), their printable forms, monitoring and review. */
@Module({
  imports: [CaseModule],
  controllers: [AssessmentsPlansController],
  providers: [AssessmentsPlansService, AssessmentsPlansRepository],
  exports: [AssessmentsPlansService],
})
export class AssessmentsPlansModule {}
