import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AdjustmentController } from './assignment/adjustment.controller';
import { AdjustmentRepository } from './assignment/adjustment.repository';
import { AdjustmentService } from './assignment/adjustment.service';
import { AssignmentConsumer } from './assignment/assignment.consumer';
import { AssignmentRepository } from './assignment/assignment.repository';
import { BankController } from './bank/bank.controller';
import { PaymentRepository } from './bank/payment.repository';
import { PaymentService } from './bank/payment.service';
import { LedgerController } from './ledger/ledger.controller';
import { LedgerRepository } from './ledger/ledger.repository';
import { LedgerService } from './ledger/ledger.service';
import { FundsConsumer } from './payroll/funds.consumer';
import { PayrollController } from './payroll/payroll.controller';
import { PayrollRepository } from './payroll/payroll.repository';
import { PayrollService } from './payroll/payroll.service';
import { TreasuryPii } from './pii/treasury-pii';
import { RefusalAuditInterceptor } from './shared/refusal-audit.interceptor';

/** Assignments projection, payroll, payments (bank and post), statements, ledger. */
@Module({
  controllers: [PayrollController, BankController, LedgerController, AdjustmentController, FundsConsumer, AssignmentConsumer],
  providers: [
    { provide: APP_INTERCEPTOR, useClass: RefusalAuditInterceptor },
    AdjustmentRepository,
    AdjustmentService,
    AssignmentRepository,
    PayrollRepository,
    PayrollService,
    PaymentRepository,
    PaymentService,
    LedgerRepository,
    LedgerService,
    TreasuryPii,
  ],
  exports: [PayrollService, PaymentService, LedgerService],
})
export class TreasuryModule {}
