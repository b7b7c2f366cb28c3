import { Global, Module } from '@nestjs/common';
import { AssignmentsModule } from '../assignments/assignments.module';
import { TerritoriesController } from './territories.controller';
import { TerritoriesRepository } from './territories.repository';
import { TerritoriesService } from './territories.service';

/** The list of territories; global so that the applications' facts can read the community of origin's rows. */
@Global()
@Module({
  imports: [AssignmentsModule],
  controllers: [TerritoriesController],
  providers: [TerritoriesRepository, TerritoriesService],
  exports: [TerritoriesService],
})
export class TerritoriesModule {}
