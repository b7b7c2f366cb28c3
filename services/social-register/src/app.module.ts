import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@eisss/platform';
import type { SocialRegisterConfig } from './config/config';
import { PersonEntity } from './person/person.entity';
import { PersonModule } from './person/person.module';
import { HouseholdModule } from './household/household.module';
import { StatusModule } from './status/status.module';
import { EntitlementModule } from './entitlement/entitlement.module';
import { ProviderModule } from './provider/provider.module';
import { DciExceptionFilter } from './dci/dci.filter';
import { DciModule } from './dci/dci.module';
import { AccessLogModule } from './access-log/access-log.module';
import { ServiceSessionModule } from './service-session/service-session.module';
import { SocialServicesModule } from './social-services/social-services.module';
import { MigrationModule } from './migration/migration.module';

@Module({})
export class AppModule {
  static register(config: SocialRegisterConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(
          {
            service: 'social-register',
            schema: 'social_register',
            entities: [PersonEntity],
            dualControl: true,
            pathErrorFilters: [{ pathPrefix: '/registry/', filter: new DciExceptionFilter() }],
          },
          config,
        ),
        PersonModule,
        HouseholdModule,
        StatusModule,
        EntitlementModule,
        ProviderModule,
        DciModule,
        SocialServicesModule,
        AccessLogModule,
        ServiceSessionModule,
        MigrationModule,
      ],
    };
  }
}
