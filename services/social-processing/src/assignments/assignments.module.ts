import { Module } from '@nestjs/common';
import { ParameterTable } from '../rules/parameters';
import { CLOCK, systemClock } from '../shared/clock';
import { AssignmentsController } from './assignments.controller';
import { AssignmentsRepository } from './assignments.repository';
import { AssignmentsService } from './assignments.service';
import { RecalculationConsumer } from './recalculation.consumer';

@Module({
  controllers: [AssignmentsController],
  providers: [AssignmentsRepository, AssignmentsService, RecalculationConsumer, { provide: ParameterTable, useValue: new ParameterTable() }, { provide: CLOCK, useValue: systemClock }],
  exports: [AssignmentsService, AssignmentsRepository, ParameterTable, CLOCK],
})
export class AssignmentsModule {}
