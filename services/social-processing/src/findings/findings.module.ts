import { Module } from '@nestjs/common';
import { AssignmentsModule } from '../assignments/assignments.module';
import { FindingsConsumer } from './findings.consumer';
import { FindingsRepository } from './findings.repository';
import { FindingsService } from './findings.service';

@Module({
  imports: [AssignmentsModule],
  providers: [FindingsRepository, FindingsService, FindingsConsumer],
  exports: [FindingsService],
})
export class FindingsModule {}
