import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@eisss/platform';
import { CaseModule } from './cases/case.module';
import type { CaseManagementConfig } from './config/config';

@Module({})
export class AppModule {
  static register(config: CaseManagementConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'case-management', schema: 'case_management', entities: [] }, config), CaseModule],
    };
  }
}
