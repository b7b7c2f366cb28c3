import { Role } from '@eisss/contracts';
import {
  AuditLog,
  Clock,
  DomainError,
  DualControl,
  formatDate,
  monthOf,
  parseDate,
  type DualControlRequest,
  type Principal,
  type PageRequest,
} from '@eisss/platform';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AssignmentsRepository } from '../assignments/assignments.repository';
import { AssignmentsService } from '../assignments/assignments.service';
import {
  IDP_PROGRAMME_CODE,
  IdpTerritoryEndRules,
  monthsAfterEndOn,
  originKatottgOf,
  type IdpApplicationFacts,
} from '../rules/idp-living-allowance.rules';
import { node, type ApplicationFacts } from '../rules/rule-set';
import type { TerritoryImportDto } from './dto/territory.dto';
import { TerritoryErrorCode } from './territories.errors';
import {
  TerritoriesRepository,
  type TerritoryEntryRecord,
  type TerritoryImportRecord,
  type TerritoryImportRow,
} from './territories.repository';
import { parseTerritoryCsv, type CsvRow } from './territory-csv';
import {
  KATOTTG_PATTERN,
  TerritoryKinds,
  decidingRows,
  describe,
  katottgPrefix,
  lastPaidMonth,
  originPaidInMonth,
  originStatusOn,
  type OriginStatus,
  type TerritoryKind,
  type TerritoryRow,
} from './territory-list';

/** Importing a version of the list changes who is paid: a national supervisor asks, another approves. */
export const TERRITORY_IMPORT_ACT = 'territories.import';

interface ImportPayload {
  sourceOrder: string;
  sourceOrderDate: string;
  sourceVersion: string | null;
  format: 'csv' | 'json';
  rows: TerritoryImportRow[];
}

export interface RecalculationSummary {
  checked: number;
  changed: number;
  terminated: number;
  unchanged: number;
  assignmentIds: string[];
}

export interface TerritoryStatus {
  katottg: string;
  on: string;
  status: OriginStatus;
  paidInMonth: boolean;
  row: TerritoryRow | null;
  rows: TerritoryRow[];
  history: TerritoryEntryRecord[];
  listVersion: number | null;
}

function validDate(s: string | null | undefined): boolean {
  if (typeof s !== 'string' || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(s)) return false;
  try {
    return formatDate(parseDate(s)) === s;
  } catch {
    return false;
  }
}

/**
 * The official list of territories of hostilities or occupation as effective-dated data: imports (a list
 * version each, under the two-person rule) and the status of a community on a date. An approved import
 * recalculates, in the approval's transaction, the open IDP assignments whose community of origin it covers.
 */
@Injectable()
export class TerritoriesService implements OnModuleInit {
  constructor(
    private readonly territories: TerritoriesRepository,
    private readonly assignments: AssignmentsService,
    private readonly assignmentsRepo: AssignmentsRepository,
    private readonly dual: DualControl,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.dual.register(TERRITORY_IMPORT_ACT, {
      roles: [Role.Supervisor],
      nationalOnly: true,
      execute: async (req, approver) => {
        const p = req.payload as unknown as ImportPayload;
        const imp = await this.territories.insertImport({
          ...p,
          requestedBy: req.requestedBy,
          approvedBy: approver.id,
          dualControlRequestId: req.id,
        });
        const recalculation = await this.recalculateCovered(imp, p.rows, { by: req.requestedBy, approvedBy: approver.id });
        await this.territories.saveRecalculation(imp.id, { ...recalculation });
        await this.audit.recordAction(
          approver,
          'territories.imported',
          'territory-list',
          [imp.id],
          `list v${imp.listVersion}: ${p.sourceOrder} від ${p.sourceOrderDate}, ${p.rows.length} rows; requested by ${req.requestedBy}; recalculated ${recalculation.changed + recalculation.terminated} of ${recalculation.checked}`,
        );
        return { importId: imp.id, listVersion: imp.listVersion, rowCount: imp.rowCount, recalculation: { ...recalculation } };
      },
    });
  }

  private today(): string {
    return this.clock.today();
  }

  /** Validates every row (nothing is written when one fails), then asks for the import: 202 with the request. */
  async requestImport(principal: Principal, dto: TerritoryImportDto): Promise<DualControlRequest> {
    const payload = this.validate(dto);
    return this.dual.request(principal, {
      action: TERRITORY_IMPORT_ACT,
      subjectType: 'territory-list',
      subjectId: 'UA',
      katottg: null,
      payload: { ...payload },
      evidenceRef: dto.evidenceRef ?? null,
      reason: `${dto.sourceOrder} від ${dto.sourceOrderDate}${dto.sourceVersion ? ` (${dto.sourceVersion})` : ''}: ${dto.reason}`,
    });
  }

  private validate(dto: TerritoryImportDto): ImportPayload {
    // null is as good as absent (class-validator's @IsOptional lets it through).
    const csv = dto.csv ?? undefined;
    if (csv !== undefined && dto.rows != null)
      throw DomainError.validation(TerritoryErrorCode.TERRITORY_IMPORT_FORMAT, 'give either csv or rows, not both', 'csv');
    let raw: (Omit<CsvRow, 'line'> & { field: string })[];
    let format: 'csv' | 'json';
    if (csv !== undefined) {
      const parsed = parseTerritoryCsv(csv);
      if (parsed.error)
        throw DomainError.validation(
          TerritoryErrorCode.TERRITORY_IMPORT_FORMAT,
          `line ${parsed.error.line}: ${parsed.error.message}`,
          'csv',
          { line: parsed.error.line },
        );
      raw = parsed.rows.map((r) => ({ ...r, field: `csv:line ${r.line}` }));
      format = 'csv';
    } else {
      raw = (dto.rows ?? []).map((r, i) => ({
        katottg: r.katottg,
        name: r.name ?? null,
        kind: r.kind,
        startedOn: r.startedOn,
        endedOn: r.endedOn ?? null,
        includedOn: r.includedOn ?? null,
        field: `rows[${i}]`,
      }));
      format = 'json';
    }
    if (raw.length === 0)
      throw DomainError.validation(
        TerritoryErrorCode.TERRITORY_IMPORT_EMPTY,
        'the import holds no rows',
        csv !== undefined ? 'csv' : 'rows',
      );
    const seen = new Map<string, string>();
    const rows: TerritoryImportRow[] = raw.map((r) => {
      const bad = (code: TerritoryErrorCode, message: string, column: string) =>
        DomainError.validation(code, message, `${r.field}.${column}`);
      if (!KATOTTG_PATTERN.test(r.katottg))
        throw bad(TerritoryErrorCode.TERRITORY_KATOTTG_INVALID, `${r.katottg} is not a КАТОТТГ code (UA and 17 digits)`, 'katottg');
      if (!(TerritoryKinds as readonly string[]).includes(r.kind))
        throw bad(TerritoryErrorCode.TERRITORY_ROW_INVALID, `unknown section ${r.kind}: one of ${TerritoryKinds.join(', ')}`, 'kind');
      if (!validDate(r.startedOn))
        throw bad(TerritoryErrorCode.TERRITORY_ROW_INVALID, `start date ${r.startedOn} is not a date`, 'startedOn');
      if (r.endedOn !== null && !validDate(r.endedOn))
        throw bad(TerritoryErrorCode.TERRITORY_ROW_INVALID, `end date ${r.endedOn} is not a date`, 'endedOn');
      if (r.endedOn !== null && r.endedOn < r.startedOn)
        throw bad(TerritoryErrorCode.TERRITORY_ROW_INVALID, `the end date ${r.endedOn} is before the start ${r.startedOn}`, 'endedOn');
      if (r.includedOn !== null && !validDate(r.includedOn))
        throw bad(TerritoryErrorCode.TERRITORY_ROW_INVALID, `inclusion date ${r.includedOn} is not a date`, 'includedOn');
      const key = `${r.katottg}/${r.kind}`;
      if (seen.has(key))
        throw DomainError.validation(
          TerritoryErrorCode.TERRITORY_ROW_DUPLICATE,
          `${r.katottg} (${r.kind}) is listed twice (also ${seen.get(key)})`,
          r.field,
          { katottg: r.katottg, kind: r.kind },
        );
      seen.set(key, r.field);
      return {
        katottg: r.katottg,
        name: r.name,
        kind: r.kind as TerritoryKind,
        startedOn: r.startedOn,
        endedOn: r.endedOn,
        includedOn: r.includedOn,
      };
    });
    return { sourceOrder: dto.sourceOrder, sourceOrderDate: dto.sourceOrderDate, sourceVersion: dto.sourceVersion ?? null, format, rows };
  }

  /**
   * The open IDP assignments whose community of origin an import covers get the list's current rows in
   * their facts and are recalculated through the assignments' recalculation (a new version only when
   * the months change: e.g. an end date stops payment after its month + 3, AssignmentTerminatedV2).
   */
  private async recalculateCovered(
    imp: TerritoryImportRecord,
    rows: TerritoryImportRow[],
    actor: { by: string; approvedBy: string },
  ): Promise<RecalculationSummary> {
    const out: RecalculationSummary = { checked: 0, changed: 0, terminated: 0, unchanged: 0, assignmentIds: [] };
    const prefixes = [...new Set(rows.map((r) => katottgPrefix(r.katottg)))];
    for (const id of await this.assignmentsRepo.openIdsOfProgramme(IDP_PROGRAMME_CODE)) {
      // Read first, lock only the assignments whose origin the import covers.
      const seen = await this.assignmentsRepo.findById(id);
      const seenOrigin = seen ? originKatottgOf(seen.facts) : null;
      if (!seenOrigin || !prefixes.some((p) => seenOrigin.startsWith(p))) continue;
      const a = await this.assignmentsRepo.lockById(id);
      if (!a || a.status === 'terminated') continue;
      const origin = originKatottgOf(a.facts)!;
      const facts = await this.withOriginTerritory(structuredClone(a.facts));
      const t = (facts as IdpApplicationFacts).originTerritory!;
      const deciding = decidingRows(t.rows, origin);
      const ended = deciding.filter((r) => r.endedOn !== null);
      const stillOpen = deciding.some((r) => r.endedOn === null);
      const endRow = !stillOpen ? ended.sort((x, y) => (x.endedOn! < y.endedOn! ? 1 : -1))[0] : undefined;
      const rule = IdpTerritoryEndRules[0]!;
      const reason = endRow
        ? {
            code: rule.reasonCode,
            text: `hostilities/occupation in the community of origin ended on ${endRow.endedOn}: paid through ${lastPaidMonth(endRow, monthsAfterEndOn(endRow.endedOn!))}, stopped from the month after — ${describe(endRow)}; ${rule.legalRef} [${rule.id}]`,
          }
        : {
            code: 'TERRITORY_LIST_CHANGED',
            text: `the list of territories changed for the community of origin ${origin}: list v${imp.listVersion} (${imp.sourceOrder} від ${imp.sourceOrderDate})`,
          };
      const note = node(
        {
          id: endRow ? rule.id : 'idp.origin-month',
          title: endRow
            ? 'End of hostilities/occupation in the community of origin: 3 more months, then stop'
            : 'The list of territories changed for the community of origin',
          legalRef: rule.legalRef,
        },
        endRow ? 'failed' : 'info',
        {
          originKatottg: origin,
          importId: imp.id,
          listVersion: imp.listVersion,
          source: { order: imp.sourceOrder, orderDate: imp.sourceOrderDate, version: imp.sourceVersion },
          row: endRow ?? null,
          lastPaidMonth: endRow ? lastPaidMonth(endRow, monthsAfterEndOn(endRow.endedOn!)) : null,
        },
      );
      const result = await this.assignments.recalculateInTx(a, facts, reason, actor, undefined, note);
      out.checked++;
      out[result]++;
      if (result !== 'unchanged') out.assignmentIds.push(a.id);
    }
    return out;
  }

  /** Facts with the current list rows covering the applicant's community of origin (unchanged when the status names none). */
  async withOriginTerritory<F extends ApplicationFacts>(facts: F): Promise<F> {
    const origin = originKatottgOf(facts);
    if (!origin) return facts;
    const { rows, listVersion } = await this.territories.currentCoveringWithVersion(origin);
    return { ...facts, originTerritory: { katottg: origin, rows, listVersion, asOf: this.clock.now().toISOString() } };
  }

  /** The status of a community on a date, with the row that decides and its source, and the rows' history. */
  async status(katottg: string, on?: string): Promise<TerritoryStatus> {
    if (!KATOTTG_PATTERN.test(katottg))
      throw DomainError.validation(TerritoryErrorCode.TERRITORY_KATOTTG_INVALID, `${katottg} is not a КАТОТТГ code`, 'katottg');
    const date = on ?? this.today();
    const rows = await this.territories.currentCovering(katottg);
    const s = originStatusOn(rows, katottg, date);
    const ended = decidingRows(rows, katottg).find((r) => r.endedOn !== null);
    const month = originPaidInMonth(rows, katottg, monthOf(date), ended ? monthsAfterEndOn(ended.endedOn!) : 3);
    return {
      katottg,
      on: date,
      status: s.status,
      paidInMonth: month.paid,
      row: s.row ?? month.row,
      rows,
      history: await this.territories.historyCovering(katottg),
      listVersion: await this.territories.latestVersion(),
    };
  }

  async imports(q: PageRequest) {
    return this.territories.listImports(q);
  }
}
