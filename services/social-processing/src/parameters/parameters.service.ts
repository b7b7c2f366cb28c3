import { Role } from '@eisss/contracts';
import { AuditLog, Clock, DomainError, DualControl, type DualControlRequest, type PageRequest, type Principal } from '@eisss/platform';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { randomUUID } from 'node:crypto';
import { AssignmentsService, type ProgrammeRecalculationResult } from '../assignments/assignments.service';
import { PARAMETERS, ParameterTable, type ParameterRow } from '../rules/parameters';
import { PROGRAMMES } from '../rules/programmes';
import type { ExplanationNode, Reason } from '../rules/rule-set';
import type { AddParameterDto } from './dto/parameter.dto';
import { ParameterErrorCode } from './parameters.errors';
import { ParametersRepository, type StoredParameter } from './parameters.repository';

/** Adding a parameter row: national scope, a second national supervisor approves (the approval inserts the row and recalculates). */
export const PARAMETER_ADD_ACT = 'parameter.add';
/** How often a process checks whether another one added a row (or a transaction that refreshed the cache rolled back). */
export const PARAMETER_REFRESH_INTERVAL_MS = 30_000;
/** The refresh's name in the SchedulerRegistry. */
export const PARAMETER_REFRESH_INTERVAL = 'social-processing.parameters.refresh';

interface AddPayload {
  key: string;
  value: string;
  effectiveFrom: string;
  legalSource: string;
  reason: string;
}

/** Keys of a programme's own parameters start with its prefix; the others (the subsistence minimum) may be read by any programme. */
const PROGRAMME_PREFIXES: Record<string, string> = {
  'idp.': 'idp-living-allowance',
  'birth.': 'birth-assistance',
  'low-income.': 'low-income-family',
};

/** The programmes whose open assignments a new row of the key can change. */
export function programmesReading(key: string): string[] {
  const own = Object.entries(PROGRAMME_PREFIXES).find(([prefix]) => key.startsWith(prefix));
  return own && PROGRAMMES[own[1]] ? [own[1]] : Object.keys(PROGRAMMES);
}

/**
 * The table's rows, plus the code's seed rows of a key the table does not hold at all (a parameter
 * whose formula was added before its migration); for a key the table holds, only the table counts.
 */
export function mergeWithSeed(stored: ParameterRow[], seed: ParameterRow[] = PARAMETERS): { rows: ParameterRow[]; fromCode: string[] } {
  const keys = new Set(stored.map((r) => r.key));
  const extra = seed.filter((r) => !keys.has(r.key));
  return { rows: [...stored, ...extra], fromCode: [...new Set(extra.map((r) => r.key))].sort() };
}

/**
 * Parameters as data: the rules read the ParameterTable, a per-process cache of
 * social_processing.parameter loaded at start and refreshed when a row is added. An analyst (a national
 * supervisor) asks for a new row; a second national supervisor's approval inserts it, refreshes the
 * cache and recalculates every open assignment of every programme in the same transaction (the
 * per-assignment path of POST /programmes/:code/recalculation), so the row and its effect commit together.
 */
@Injectable()
export class ParametersService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ParametersService.name);
  /** The table version (count and highest seq) the cache was loaded with: when the table's differs, the cache is reloaded. */
  private loadedSeq: string | null = null;
  private polling = false;

  constructor(
    private readonly parameters: ParametersRepository,
    private readonly table: ParameterTable,
    private readonly assignments: AssignmentsService,
    private readonly dual: DualControl,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    this.dual.register(PARAMETER_ADD_ACT, {
      roles: [Role.Supervisor],
      nationalOnly: true,
      check: async (input) => this.checkKey((input.payload as unknown as AddPayload).key),
      execute: (req, approver) => this.addInTx(req, approver),
    });
    await this.refresh();
    const timer = setInterval(() => void this.refreshIfChanged(), PARAMETER_REFRESH_INTERVAL_MS);
    timer.unref();
    this.scheduler.addInterval(PARAMETER_REFRESH_INTERVAL, timer);
    this.polling = true;
  }

  onModuleDestroy(): void {
    // The schedule module may have cleared its registry on shutdown already.
    if (this.polling && this.scheduler.doesExist('interval', PARAMETER_REFRESH_INTERVAL))
      this.scheduler.deleteInterval(PARAMETER_REFRESH_INTERVAL);
    this.polling = false;
  }

  /** Reloads the cache from the table (committed rows, or the caller's transaction's view). */
  async refresh(): Promise<void> {
    const stored = await this.parameters.rows();
    const seq = await this.parameters.version();
    const { rows, fromCode } = mergeWithSeed(stored);
    if (fromCode.length && this.loadedSeq === null)
      this.logger.warn(`parameters read from code, not in the table yet (add them with a migration): ${fromCode.join(', ')}`);
    this.table.replace(rows);
    this.loadedSeq = seq;
  }

  /** Another replica added a row, or a refresh inside a transaction that then rolled back: reload the committed rows. */
  async refreshIfChanged(): Promise<void> {
    try {
      if ((await this.parameters.version()) !== this.loadedSeq) await this.refresh();
    } catch (err) {
      this.logger.warn(`parameter refresh failed, keeping the cached rows: ${(err as Error).message}`);
    }
  }

  private checkKey(key: string): void {
    if (!this.table.has(key))
      throw DomainError.unprocessable(ParameterErrorCode.PARAMETER_KEY_UNKNOWN, `no formula reads the parameter ${key}`, 'key', {
        known: this.table.keys(),
      });
  }

  /** Asks for a new row (202): nothing is in force until a second national supervisor approves. */
  async request(principal: Principal, dto: AddParameterDto): Promise<DualControlRequest> {
    this.checkKey(dto.key);
    const payload: AddPayload = {
      key: dto.key,
      value: dto.value,
      effectiveFrom: dto.effectiveFrom,
      legalSource: dto.legalSource.trim(),
      reason: dto.reason.trim(),
    };
    return this.dual.request(principal, {
      action: PARAMETER_ADD_ACT,
      subjectType: 'parameter',
      subjectId: `${dto.key}@${dto.effectiveFrom}`,
      katottg: null,
      payload: { ...payload },
      evidenceRef: payload.legalSource,
      reason: payload.reason,
    });
  }

  /** The approval: inserts the row, refreshes the cache, recalculates the open assignments; all in the approval's transaction. */
  private async addInTx(req: DualControlRequest, approver: Principal): Promise<Record<string, unknown>> {
    const p = req.payload as unknown as AddPayload;
    this.checkKey(p.key);
    await this.parameters.lockForAppend();
    const row = await this.parameters.insert({
      id: randomUUID(),
      ...p,
      requestedBy: req.requestedBy,
      approvedBy: approver.id,
      approvalId: req.id,
    });
    await this.audit.recordAction(
      approver,
      'parameter.added',
      'parameter',
      [row.id],
      `${p.key} = ${p.value} from ${p.effectiveFrom} (${p.legalSource}); requested by ${req.requestedBy}: ${p.reason}`,
    );
    const before = { rows: this.table.all(), seq: this.loadedSeq };
    try {
      await this.refresh();
      const recalculation = await this.recalculateOpen(row, { by: req.requestedBy, approvedBy: approver.id });
      return { parameterId: row.id, seq: row.seq, key: row.key, value: row.value, effectiveFrom: row.effectiveFrom, recalculation };
    } catch (err) {
      // Nothing of the transaction commits: the cache goes back to the rows it had.
      this.table.replace(before.rows);
      this.loadedSeq = before.seq;
      throw err;
    }
  }

  /** Every open assignment of the programmes that read the key, recalculated with the new table (a new version only where a month changes). */
  private async recalculateOpen(row: StoredParameter, actor: { by: string; approvedBy: string }): Promise<ProgrammeRecalculationResult[]> {
    const reason: Reason = {
      code: 'PARAMETER_CHANGED',
      text: `parameter ${row.key} = ${row.value} from ${row.effectiveFrom} (${row.legalSource})`,
    };
    const note: ExplanationNode = {
      rule: 'parameter.changed',
      title:
        "A parameter row was added (two-person rule): the assignment is recalculated with the parameters in force on each month's first day",
      legalRef: row.legalSource,
      outcome: 'info',
      facts: {
        parameterId: row.id,
        approvalId: row.approvalId,
        requestedBy: row.requestedBy,
        approvedBy: row.approvedBy,
        reason: row.reason,
      },
      parameters: [{ key: row.key, value: row.value, effectiveFrom: row.effectiveFrom, source: row.legalSource }],
    };
    const out: ProgrammeRecalculationResult[] = [];
    for (const programmeCode of programmesReading(row.key))
      out.push(await this.assignments.recalculateProgrammeInTx(programmeCode, 'UA', reason, actor, note));
    return out;
  }

  async list(q: { key?: string; on?: string } & PageRequest) {
    const on = q.on ?? this.clock.today();
    const page = await this.parameters.list(q);
    const inForce = await this.parameters.inForceSeqs([...new Set(page.items.map((r) => r.key))], on);
    return {
      on,
      items: page.items.map((r) => ({ ...r, inForce: inForce.has(r.seq) })),
      total: page.total,
      limit: q.limit,
      offset: q.offset,
    };
  }
}
