import { Module } from '@nestjs/common';
import { CaseModule } from '../cases/case.module';
import { PlacementsController } from './placements.controller';
import { PlacementsRepository } from './placements.repository';
import { PlacementsService } from './placements.service';

/** Children deprived of parental care: placement candidates and placements. */
@Module({
  imports: [CaseModule],
  controllers: [PlacementsController],
  providers: [PlacementsService, PlacementsRepository],
  exports: [PlacementsService],
})
export class PlacementsModule {}
