import { Module } from '@nestjs/common';
import { AppropriationController } from './appropriation/appropriation.controller';
import { AppropriationRepository } from './appropriation/appropriation.repository';
import { AppropriationService } from './appropriation/appropriation.service';
import { CommitmentConsumer } from './commitment/commitment.consumer';
import { CommitmentRepository } from './commitment/commitment.repository';
import { ExecutionConsumer, FundsCheckConsumer } from './funds/funds.consumer';
import { FundsRepository } from './funds/funds.repository';
import { FundsService } from './funds/funds.service';
import { ProgrammeController } from './programme/programme.controller';
import { ProgrammeRepository } from './programme/programme.repository';
import { ProgrammeService } from './programme/programme.service';
import { ReportsController } from './reports/reports.controller';
import { ReportsRepository } from './reports/reports.repository';

/** Programmes, appropriations, commitments, funds check, execution and reports. */
@Module({
  controllers: [ProgrammeController, AppropriationController, ReportsController, FundsCheckConsumer, ExecutionConsumer, CommitmentConsumer],
  providers: [
    ProgrammeRepository,
    ProgrammeService,
    AppropriationRepository,
    AppropriationService,
    CommitmentRepository,
    FundsRepository,
    FundsService,
    ReportsRepository,
  ],
})
export class BudgetModule {}
