import { Module } from '@nestjs/common';
import { PersonProjectionModule } from '../person-projection/person-projection.module';
import { ParameterTable } from '../rules/parameters';
import { AssignmentsController } from './assignments.controller';
import { AssignmentsRepository } from './assignments.repository';
import { AssignmentsService } from './assignments.service';
import { MigratedAssignmentConsumer } from './migrated-assignment.consumer';
import { MigratedAssignmentsService } from './migrated-assignments.service';
import { PaymentAccountConsumer } from './payment-account.consumer';
import { RecalculationConsumer } from './recalculation.consumer';

@Module({
  imports: [PersonProjectionModule],
  controllers: [AssignmentsController, PaymentAccountConsumer, RecalculationConsumer, MigratedAssignmentConsumer],
  providers: [
    AssignmentsRepository,
    AssignmentsService,
    MigratedAssignmentsService,
    { provide: ParameterTable, useValue: new ParameterTable() },
  ],
  exports: [AssignmentsService, AssignmentsRepository, ParameterTable],
})
export class AssignmentsModule {}
