import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@eisss/platform';
import { BudgetModule } from './budget.module';
import type { EBudgetConfig } from './config/config';

@Module({})
export class AppModule {
  static register(config: EBudgetConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'e-budget', schema: 'e_budget', entities: [] }, config), BudgetModule],
    };
  }
}
