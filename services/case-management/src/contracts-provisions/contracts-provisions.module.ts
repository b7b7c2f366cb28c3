import { Module } from '@nestjs/common';
import { AssessmentsPlansModule } from '../assessments-plans/assessments-plans.module';
import { CaseModule } from '../cases/case.module';
import { ContractsProvisionsController } from './contracts-provisions.controller';
import { ContractsProvisionsRepository } from './contracts-provisions.repository';
import { ContractsProvisionsService } from './contracts-provisions.service';

/** Contracts with the plan's providers and the visits (provisions) recorded under them. */
@Module({
  imports: [CaseModule, AssessmentsPlansModule],
  controllers: [ContractsProvisionsController],
  providers: [ContractsProvisionsService, ContractsProvisionsRepository],
  exports: [ContractsProvisionsService],
})
export class ContractsProvisionsModule {}
