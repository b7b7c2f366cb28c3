// Fakes for the unit specs beside the code (src/**/*.spec.ts): an in-memory case repository behind the
// real CaseAccess, and the platform's outbox and audit log recording what they were given.
import { Role } from '@eisss/contracts';
import type { AuditLog, DomainError, OutboxWriter, Principal } from '@eisss/platform';
import { CaseAccess } from '../src/cases/case-access.service';
import type { CaseRecord, CaseRepository, JournalEntry, NewCase, TransitionChanges } from '../src/cases/case.repository';
import type { CaseStatus } from '../src/cases/case.state-machine';

export const KYIV_COMMUNITY = 'UA80000000000093317';
export const LVIV_COMMUNITY = 'UA46060250010015970';

export function aCase(over: Partial<CaseRecord> = {}): CaseRecord {
  return {
    id: '6a0f3c1e-2b4d-4e5f-8a9b-0c1d2e3f4a5b',
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    katottg: KYIV_COMMUNITY,
    category: 'adult',
    channel: 'self',
    reporter: null,
    crisis: false,
    requestDate: '2026-11-23',
    requestedServices: [],
    status: 'open',
    returnedFrom: null,
    ruleSetVersion: 'CMU-64-2026',
    assessmentDue: '2026-11-30',
    decisionDue: '2026-12-07',
    reviewDue: null,
    workerId: 'worker-1',
    decision: null,
    outcome: null,
    finalEvaluation: null,
    closedOn: null,
    clientRequestId: null,
    createdAt: '2026-11-23T10:00:00.000Z',
    version: 1,
    ...over,
  };
}

/** One case in memory; records every status change and journal entry (the typed surface CaseAccess and CaseService use). */
export class FakeCaseRepository {
  transitions: { caseId: string; from: CaseStatus; to: CaseStatus; changes: TransitionChanges }[] = [];
  journals: JournalEntry[] = [];
  listFilters: { territory: string }[] = [];
  inserted: NewCase[] = [];
  constructor(public stored: CaseRecord) {}

  async findById(id: string) {
    return id === this.stored.id ? this.stored : null;
  }
  lockById = this.findById;
  async findByClientRequestId(clientRequestId: string) {
    return this.stored.clientRequestId === clientRequestId ? this.stored : null;
  }
  async insertCase(c: NewCase) {
    this.inserted.push(c);
    return aCase({ ...c, returnedFrom: null });
  }
  async applyTransition(caseId: string, from: CaseStatus, to: CaseStatus, changes: TransitionChanges = {}) {
    if (caseId !== this.stored.id || this.stored.status !== from) throw new Error(`the case is not ${from}`);
    this.transitions.push({ caseId, from, to, changes });
    const { closure, ...rest } = changes;
    this.stored = { ...this.stored, ...rest, ...(closure ?? {}), status: to };
    return this.stored;
  }
  async assignWorker(_caseId: string, workerId: string) {
    this.stored = { ...this.stored, workerId };
    return this.stored;
  }
  async setReviewDue(_caseId: string, reviewDue: string) {
    this.stored = { ...this.stored, reviewDue };
    return this.stored;
  }
  async list(f: { territory: string }) {
    this.listFilters.push(f);
    const items = this.stored.katottg.startsWith(f.territory) || f.territory === 'UA' ? [this.stored] : [];
    return { items, total: items.length };
  }
  async journal(e: JournalEntry) {
    this.journals.push(e);
  }
  async none() {
    return [];
  }
  journalOf = this.none;
  notesOf = this.none;
  attachmentsOf = this.none;
  teamOf = this.none;
  async insertNote() {}
  async insertTeamMember() {}
  async insertAttachment(a: { id: string }) {
    return a.id;
  }
}

export function caseAccessOver(stored: CaseRecord = aCase()): { repo: FakeCaseRepository; access: CaseAccess } {
  const repo = new FakeCaseRepository(stored);
  return { repo, access: new CaseAccess(repo as unknown as CaseRepository) };
}

export class FakeAudit {
  reads: { principal: string; subjectIds: string[] }[] = [];
  async recordRead(p: Principal, _type: string, subjectIds: string[]) {
    if (subjectIds.length) this.reads.push({ principal: p.id, subjectIds });
  }
  asAuditLog(): AuditLog {
    return this as unknown as AuditLog;
  }
}

export class FakeOutbox {
  events: { topic: string; payload: unknown }[] = [];
  async append(contract: { topic: string }, payload: unknown) {
    this.events.push({ topic: contract.topic, payload });
  }
  get topics(): string[] {
    return this.events.map((e) => e.topic);
  }
  asOutboxWriter(): OutboxWriter {
    return this as unknown as OutboxWriter;
  }
}

export const worker = (territory: string): Principal => ({ id: 'worker-1', roles: [Role.CaseWorker], territory });

/** The error code a use case fails with, or NO_ERROR. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as DomainError).code;
  }
  return 'NO_ERROR';
}
