import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@eisss/platform';
import type { VerificationConfig } from './config/config';
import { VerificationModule } from './verification.module';

@Module({})
export class AppModule {
  static register(config: VerificationConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'verification', schema: 'verification', entities: [] }, config), VerificationModule],
    };
  }
}
