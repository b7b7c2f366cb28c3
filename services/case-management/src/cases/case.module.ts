import { Module } from '@nestjs/common';
import { CaseAccess } from './case-access.service';
import { CaseIntakeConsumer } from './case-intake.consumer';
import { CaseController } from './case.controller';
import { CaseRepository } from './case.repository';
import { CaseService } from './case.service';

/**
 * The case and its life (intake, decision, routing, closure) through the state machine; exports the
 * case access check and the one way to move a case (CaseAccess) to the other capabilities.
 */
@Module({
  controllers: [CaseController, CaseIntakeConsumer],
  providers: [CaseService, CaseRepository, CaseAccess],
  exports: [CaseAccess, CaseService],
})
export class CaseModule {}
