import { Module } from '@nestjs/common';
import { AppealController, CaseController } from './case.controller';
import { CaseIntakeConsumer } from './case-intake.consumer';
import { CaseRepository } from './case.repository';
import { CaseService } from './case.service';
import { DeadlineController } from './deadline.controller';
import { DeadlineScheduler } from './deadline.scheduler';

@Module({
  controllers: [CaseController, AppealController, DeadlineController],
  providers: [CaseService, CaseRepository, CaseIntakeConsumer, DeadlineScheduler],
})
export class CaseModule {}
