import { Module } from '@nestjs/common';
import { DeadlineScheduler } from './deadline.scheduler';
import { DeadlinesController } from './deadlines.controller';
import { DeadlinesRepository } from './deadlines.repository';
import { DeadlinesService } from './deadlines.service';

/** Statutory deadlines: the rules (deadline-rules.ts), the overdue list, the scan and its periodic run, the workload. */
@Module({
  controllers: [DeadlinesController],
  providers: [DeadlinesService, DeadlinesRepository, DeadlineScheduler],
})
export class DeadlinesModule {}
