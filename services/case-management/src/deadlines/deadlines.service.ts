import { CaseDeadlineMissedV1 } from '@eisss/contracts';
import { AuditLog, Clock, OutboxWriter, Transactional, TransactionHost, type Principal } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { DeadlinesRepository, type OverdueFilter, type OverdueRow, type WorkloadRow } from './deadlines.repository';

/** A page of the scan. */
export const SCAN_PAGE = 500;

/** The statutory deadlines of cases: what is overdue, the once-per-stage deadline-missed notice, the workload. */
@Injectable()
export class DeadlinesService {
  constructor(
    private readonly deadlines: DeadlinesRepository,
    private readonly db: TransactionHost,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  @Transactional()
  async overdue(
    principal: Principal,
    f: Omit<OverdueFilter, 'territory' | 'asOf'> & { asOf?: string },
  ): Promise<{ asOf: string; items: OverdueRow[]; total: number | null }> {
    const asOf = f.asOf ?? this.clock.today();
    const page = await this.deadlines.overdue({ ...f, asOf, territory: principal.territory });
    await this.audit.recordRead(principal, 'person', [...new Set(page.items.map((i) => i.personId))], 'overdue stages');
    return { asOf, ...page };
  }

  /**
   * Emits `case.deadline-missed` once per case and stage for everything overdue on `asOf`: each notice
   * and its event in a transaction of its own, so one that fails does not take the others back.
   */
  async scanDeadlines(principal: Principal, asOfInput?: string): Promise<{ asOf: string; overdue: number; emitted: number }> {
    const asOf = asOfInput ?? this.clock.today();
    let emitted = 0;
    let overdue = 0;
    for (let offset = 0; ; offset += SCAN_PAGE) {
      const page = await this.deadlines.overdue({ territory: principal.territory, asOf, limit: SCAN_PAGE, offset, withTotal: false });

      overdue += page.items.length;
      for (const row of page.items) {
        if (await this.db.run(() => this.notify(row, asOf))) emitted++;
      }
      if (page.items.length < SCAN_PAGE) break;
    }
    return { asOf, overdue, emitted };
  }

  /** Records the notice of one overdue stage and emits its event; false when it was notified before. */
  private async notify(row: OverdueRow, asOf: string): Promise<boolean> {
    if (!(await this.deadlines.recordNotice(row.caseId, row.stage, row.dueDate, asOf))) return false;
    await this.outbox.append(
      CaseDeadlineMissedV1,
      {
        caseId: row.caseId,
        katottg: row.katottg,
        stage: row.stage,
        dueDate: row.dueDate,
        detectedOn: asOf,
        workerId: row.workerId,
        ruleSetVersion: row.ruleSetVersion,
      },
      { aggregateId: row.caseId },
    );
    return true;
  }

  workload(principal: Principal, asOf?: string): Promise<WorkloadRow[]> {
    return this.deadlines.workload(principal.territory, asOf ?? this.clock.today());
  }
}
