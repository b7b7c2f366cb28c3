import { Module } from '@nestjs/common';
import { AppealsModule } from '../appeals/appeals.module';
import { AssessmentsPlansModule } from '../assessments-plans/assessments-plans.module';
import { CaseModule } from '../cases/case.module';
import { ContractsProvisionsModule } from '../contracts-provisions/contracts-provisions.module';
import { PlacementsModule } from '../placements/placements.module';
import { CaseFileController } from './case-file.controller';
import { CaseFileService } from './case-file.service';

/** GET /cases/:id: the whole case file, composed from the capabilities (each keeps its own SQL). */
@Module({
  imports: [CaseModule, AssessmentsPlansModule, ContractsProvisionsModule, AppealsModule, PlacementsModule],
  controllers: [CaseFileController],
  providers: [CaseFileService],
})
export class CaseFileModule {}
