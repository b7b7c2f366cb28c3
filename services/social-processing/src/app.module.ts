import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@eisss/platform';
import type { SocialProcessingConfig } from './config/config';
import { PersonProjectionEntity } from './person-projection/person-projection.entity';
import { PersonProjectionModule } from './person-projection/person-projection.module';
import { ApplicationsModule } from './applications/applications.module';
import { AssignmentsModule } from './assignments/assignments.module';
import { FindingsModule } from './findings/findings.module';
import { AppealsModule } from './appeals/appeals.module';
import { EmploymentModule } from './employment/employment.module';
import { ExtensionModule } from './extension/extension.module';
import { TerritoriesModule } from './territories/territories.module';
import { ParametersModule } from './parameters/parameters.module';

@Module({})
export class AppModule {
  static register(config: SocialProcessingConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(
          { service: 'social-processing', schema: 'social_processing', entities: [PersonProjectionEntity], dualControl: true },
          config,
        ),
        PersonProjectionModule,
        AssignmentsModule,
        ApplicationsModule,
        FindingsModule,
        AppealsModule,
        EmploymentModule,
        ExtensionModule,
        TerritoriesModule,
        ParametersModule,
      ],
    };
  }
}
