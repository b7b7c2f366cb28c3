import { Module } from '@nestjs/common';
import { PersonModule } from '../person/person.module';
import { ImportRunner } from './import-runner';
import { MigrationController } from './migration.controller';
import { MigrationRepository } from './migration.repository';
import { MigrationService } from './migration.service';

@Module({
  imports: [PersonModule],
  controllers: [MigrationController],
  providers: [MigrationService, MigrationRepository, ImportRunner],
})
export class MigrationModule {}
