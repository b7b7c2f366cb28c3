import { FindingDecidedV1 } from '@eisss/contracts';
import {
  AuditLog,
  Clock,
  DomainError,
  OutboxWriter,
  Transactional,
  assertTerritory,
  currentCorrelationId,
  type PageRequest,
  type Principal,
} from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { toFindingPayload } from '../checks/checks.service';
import { FindingsErrorCode } from './findings.errors';
import { FindingsRepository, type FindingFilter, type FindingRecord } from './findings.repository';

export interface FindingsPage {
  items: FindingRecord[];
  /** null when the list was asked with total=false. */
  total: number | null;
  limit: number;
  offset: number;
}

export interface FindingsExport {
  exportedAt: string;
  status: 'accepted';
  territory: string;
  count: number;
  cases: FindingRecord[];
}

const EXPORT_LIMIT = 10_000;

/** The officer's review queue: list, read, accept or reject (with a reason, audited), and export of confirmed cases. */
@Injectable()
export class FindingsService {
  constructor(
    private readonly findings: FindingsRepository,
    private readonly audit: AuditLog,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  /** Findings within the principal's territory (a `katottg` filter outside it returns nothing). Reads are audited. */
  @Transactional()
  async list(principal: Principal, filter: Omit<FindingFilter, 'territory'>, page: PageRequest): Promise<FindingsPage> {
    const { items, total } = await this.findings.list({ ...filter, territory: principal.territory }, page);
    await this.audit.recordRead(principal, 'person', [...new Set(items.map((f) => f.personId))], 'verification findings queue');
    return { items, total, limit: page.limit, offset: page.offset };
  }

  @Transactional()
  async get(principal: Principal, findingId: string): Promise<FindingRecord> {
    const f = await this.findings.findById(findingId);
    if (!f) throw DomainError.notFound(FindingsErrorCode.FINDING_NOT_FOUND, `finding ${findingId} not found`);
    assertTerritory(principal, f.katottg);
    await this.audit.recordRead(principal, 'person', [f.personId], 'verification finding');
    return f;
  }

  /**
   * Accepts or rejects an open finding and publishes FindingDecidedV1 in the same transaction. Repeating the same decision returns the finding unchanged
   * (a client retry); a different decision on a decided finding is a conflict.
   */
  @Transactional()
  async decide(principal: Principal, findingId: string, decision: 'accepted' | 'rejected', reason: string): Promise<FindingRecord> {
    const f = await this.findings.findById(findingId, true);
    if (!f) throw DomainError.notFound(FindingsErrorCode.FINDING_NOT_FOUND, `finding ${findingId} not found`);
    assertTerritory(principal, f.katottg);
    if (f.status === decision) return f;
    if (f.status !== 'open') {
      throw DomainError.conflict(
        FindingsErrorCode.FINDING_ALREADY_DECIDED,
        `finding is ${f.status}, only open findings are decided`,
        'status',
        { status: f.status },
      );
    }
    const updated = await this.findings.decide(findingId, decision, principal.id, reason.trim());
    await this.findings.auditDecision(
      principal,
      decision === 'accepted' ? 'accept' : 'reject',
      findingId,
      reason.trim(),
      currentCorrelationId() ?? null,
    );
    await this.outbox.append(
      FindingDecidedV1,
      {
        finding: toFindingPayload(updated),
        assignmentIds: updated.assignmentIds,
        decision,
        reason: updated.decisionReason!,
        decidedBy: principal.id,
        decidedAt: updated.decidedAt!,
      },
      { aggregateId: updated.personId },
    );
    return updated;
  }

  /** Confirmed (accepted) misuse cases with their evidence, for law enforcement; audited as a read of every person in it. */
  @Transactional()
  async export(principal: Principal, katottg?: string): Promise<FindingsExport> {
    const { items } = await this.findings.list(
      { territory: principal.territory, katottg, status: 'accepted' },
      { limit: EXPORT_LIMIT, offset: 0 },
    );
    await this.audit.recordRead(
      principal,
      'person',
      [...new Set(items.map((f) => f.personId))],
      'export of confirmed cases for law enforcement',
    );
    return {
      exportedAt: this.clock.now().toISOString(),
      status: 'accepted',
      territory: principal.territory,
      count: items.length,
      cases: items,
    };
  }
}
