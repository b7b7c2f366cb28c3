import { Module } from '@nestjs/common';
import { AssignmentsModule } from '../assignments/assignments.module';
import { EmploymentFactsConsumer } from './employment.consumer';
import { EmploymentController } from './employment.controller';
import { EmploymentRepository } from './employment.repository';
import { EmploymentService } from './employment.service';

@Module({
  imports: [AssignmentsModule],
  controllers: [EmploymentController, EmploymentFactsConsumer],
  providers: [EmploymentRepository, EmploymentService],
  exports: [EmploymentRepository, EmploymentService],
})
export class EmploymentModule {}
