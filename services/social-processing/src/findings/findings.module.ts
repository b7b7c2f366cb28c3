import { Module } from '@nestjs/common';
import { AssignmentsModule } from '../assignments/assignments.module';
import { FindingsConsumer } from './findings.consumer';
import { FindingsRepository } from './findings.repository';
import { FindingsService } from './findings.service';

@Module({
  imports: [AssignmentsModule],
  controllers: [FindingsConsumer],
  providers: [FindingsRepository, FindingsService],
  exports: [FindingsService],
})
export class FindingsModule {}
