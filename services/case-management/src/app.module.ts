import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@eisss/platform';
import { AppealsModule } from './appeals/appeals.module';
import { AssessmentsPlansModule } from './assessments-plans/assessments-plans.module';
import { CaseFileModule } from './case-file/case-file.module';
import { CaseModule } from './cases/case.module';
import type { CaseManagementConfig } from './config/config';
import { ContractsProvisionsModule } from './contracts-provisions/contracts-provisions.module';
import { DeadlinesModule } from './deadlines/deadlines.module';
import { PlacementsModule } from './placements/placements.module';

@Module({})
export class AppModule {
  static register(config: CaseManagementConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'case-management', schema: 'case_management', entities: [] }, config),
        CaseModule,
        CaseFileModule,
        AssessmentsPlansModule,
        ContractsProvisionsModule,
        AppealsModule,
        PlacementsModule,
        DeadlinesModule,
      ],
    };
  }
}
