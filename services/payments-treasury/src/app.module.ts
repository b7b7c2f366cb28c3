import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@eisss/platform';
import type { PaymentsTreasuryConfig } from './config/config';
import { TreasuryModule } from './treasury.module';

@Module({})
export class AppModule {
  static register(config: PaymentsTreasuryConfig): DynamicModule {
    return {
      module: AppModule,
      // dualControl: re-issue, undeliverable post, return of a settled payment, voluntary consent and return need a second treasurer (/approvals).
      imports: [
        PlatformModule.forRoot({ service: 'payments-treasury', schema: 'payments_treasury', entities: [], dualControl: true }, config),
        TreasuryModule,
      ],
    };
  }
}
