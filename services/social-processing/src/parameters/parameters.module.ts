import { Module } from '@nestjs/common';
import { AssignmentsModule } from '../assignments/assignments.module';
import { ParametersController } from './parameters.controller';
import { ParametersRepository } from './parameters.repository';
import { ParametersService } from './parameters.service';

/** Parameters as data: the table behind the rules' ParameterTable, added to under the two-person rule. */
@Module({
  imports: [AssignmentsModule],
  controllers: [ParametersController],
  providers: [ParametersRepository, ParametersService],
})
export class ParametersModule {}
