import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@eisss/platform';
import type { PaymentsTreasuryConfig } from './config/config';
import { TreasuryModule } from './treasury.module';

@Module({})
export class AppModule {
  static register(config: PaymentsTreasuryConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'payments-treasury', schema: 'payments_treasury', entities: [] }, config), TreasuryModule],
    };
  }
}
