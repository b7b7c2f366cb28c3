import { PLATFORM_CONFIG } from '@eisss/platform';
import { Module } from '@nestjs/common';
import { AssignmentsModule } from '../assignments/assignments.module';
import { EmploymentModule } from '../employment/employment.module';
import type { SocialProcessingConfig } from '../config/config';
import { PersonProjectionModule } from '../person-projection/person-projection.module';
import { PaymentSealing } from '../shared/payment-sealing';
import { ApplicationsController, ProgrammesController } from './applications.controller';
import { ApplicationsRepository } from './applications.repository';
import { ApplicationsService } from './applications.service';
import { VerificationConsumer } from './verification.consumer';

@Module({
  imports: [AssignmentsModule, PersonProjectionModule, EmploymentModule],
  controllers: [ApplicationsController, ProgrammesController, VerificationConsumer],
  providers: [
    ApplicationsRepository,
    ApplicationsService, // Built when the application starts: a bad SEAL_FOR_REGISTER (or SEAL_FOR_TREASURY) fails start-up.
    {
      provide: PaymentSealing,
      useFactory: (config: SocialProcessingConfig) => PaymentSealing.fromConfig(config),
      inject: [PLATFORM_CONFIG],
    },
  ],
})
export class ApplicationsModule {}
