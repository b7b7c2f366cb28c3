import { Module } from '@nestjs/common';
import { PersonProjectionConsumer } from './person-projection.consumer';
import { PersonProjectionController } from './person-projection.controller';
import { PersonProjectionRepository } from './person-projection.repository';

@Module({
  controllers: [PersonProjectionController, PersonProjectionConsumer],
  providers: [PersonProjectionRepository],
  exports: [PersonProjectionRepository],
})
export class PersonProjectionModule {}
