import type { AssignmentOrigin } from '@eisss/contracts';
import { TransactionHost } from '@eisss/platform';
import type { Static } from '@sinclair/typebox';
import { Injectable } from '@nestjs/common';
import type { Payee, PaymentDetails } from '../person-projection/person-projection.repository';
import type { ApplicationFacts, ExplanationNode } from '../rules/rule-set';
import type { MonthDifference, StoredMonth } from './recalculation';

export type AssignmentStatus = 'active' | 'suspended' | 'terminated';
export type { Payee, PaymentDetails };
/** Where an assignment not decided on an application came from (the migration of a system in use). */
export type Origin = Static<typeof AssignmentOrigin>;

export interface AssignmentRecord {
  id: string;
  version: number;
  applicationId: string | null;
  programmeCode: string;
  ruleSetVersion: string;
  recipientPersonId: string;
  memberPersonIds: string[];
  katottg: string;
  periodFrom: string;
  periodTo: string;
  status: AssignmentStatus;
  months: StoredMonth[];
  /** The register's approved account of the recipient (null while it holds none: nothing is paid). */
  payment: PaymentDetails | null;
  /** The account holder as the register knows them (null with payment). */
  payee: Payee | null;
  facts: ApplicationFacts;
  explanation: ExplanationNode;
  /** The register's household of the recipient, when known (a migrated assignment carries it). */
  householdId?: string | null;
  /** Null (or absent) for an assignment decided in processing; the legacy source of a migrated one. */
  origin?: Origin | null;
}

export interface AssignmentVersionRecord {
  version: number;
  eventType: string;
  reason: { code: string; text: string } | null;
  effectiveFrom: string;
  differences: MonthDifference[];
  createdBy: string;
  /** The second person who approved the act (two-person rule), when there was one. */
  approvedBy: string | null;
  createdAt: string;
}

const COLUMNS = `id, version, application_id, programme_code, rule_set_version, recipient_person_id, member_person_ids, katottg,
  period_from, period_to, status, months, payment, payee, facts, explanation, household_id, origin`;

/** A row of assignment_version: what an event of the assignment recorded. */
export interface VersionRow {
  eventType: string;
  snapshot: unknown;
  reason: { code: string; text: string } | null;
  effectiveFrom: string;
  differences: MonthDifference[];
  createdBy: string;
  approvedBy: string | null;
}

interface AssignmentRow {
  id: string;
  version: number;
  application_id: string | null;
  programme_code: string;
  rule_set_version: string;
  recipient_person_id: string;
  member_person_ids: string[];
  katottg: string;
  period_from: string;
  period_to: string;
  status: AssignmentStatus;
  months: StoredMonth[];
  payment: PaymentDetails | null;
  payee: Payee | null;
  facts: ApplicationFacts;
  explanation: ExplanationNode;
  household_id: string | null;
  origin: Origin | null;
}

interface AssignmentVersionRow {
  version: number;
  event_type: string;
  reason: { code: string; text: string } | null;
  effective_from: string;
  differences: MonthDifference[];
  created_by: string;
  approved_by: string | null;
  created_at: Date;
}

function toRecord(r: AssignmentRow): AssignmentRecord {
  return {
    id: r.id,
    version: r.version,
    applicationId: r.application_id ?? null,
    programmeCode: r.programme_code,
    ruleSetVersion: r.rule_set_version,
    recipientPersonId: r.recipient_person_id,
    memberPersonIds: r.member_person_ids,
    katottg: r.katottg,
    periodFrom: r.period_from,
    periodTo: r.period_to,
    status: r.status,
    months: r.months,
    payment: r.payment ?? null,
    payee: r.payee ?? null,
    facts: r.facts,
    explanation: r.explanation,
    householdId: r.household_id ?? null,
    origin: r.origin ?? null,
  };
}

/** A version row's values in the column order of social_processing.assignment_version after (assignment_id, version). */
const versionParams = (v: VersionRow) => [
  v.eventType,
  JSON.stringify(v.snapshot),
  v.reason ? JSON.stringify(v.reason) : null,
  v.effectiveFrom,
  JSON.stringify(v.differences),
  v.createdBy,
  v.approvedBy,
];

@Injectable()
export class AssignmentsRepository {
  constructor(private readonly db: TransactionHost) {}

  async update(a: AssignmentRecord): Promise<void> {
    await this.db.query(
      `UPDATE social_processing.assignment SET version = $2, member_person_ids = $3::uuid[], period_to = $4, status = $5, months = $6, facts = $7, explanation = $8,
         payment = $9, payee = $10, recipient_person_id = $11, updated_at = now()
        WHERE id = $1`,
      [
        a.id,
        a.version,
        a.memberPersonIds,
        a.periodTo,
        a.status,
        JSON.stringify(a.months),
        JSON.stringify(a.facts),
        JSON.stringify(a.explanation),
        a.payment ? JSON.stringify(a.payment) : null,
        a.payee ? JSON.stringify(a.payee) : null,
        a.recipientPersonId,
      ],
    );
  }

  /** A new assignment and its first version row in one statement. */
  async insertWithVersion(a: AssignmentRecord, v: VersionRow): Promise<void> {
    await this.db.query(
      `WITH created AS (
         INSERT INTO social_processing.assignment (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7::uuid[], $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
         RETURNING id, version)
       INSERT INTO social_processing.assignment_version (assignment_id, version, event_type, snapshot, reason, effective_from, differences, created_by, approved_by)
       SELECT id, version, $19, $20, $21, $22, $23, $24, $25 FROM created`,
      [
        a.id,
        a.version,
        a.applicationId,
        a.programmeCode,
        a.ruleSetVersion,
        a.recipientPersonId,
        a.memberPersonIds,
        a.katottg,
        a.periodFrom,
        a.periodTo,
        a.status,
        JSON.stringify(a.months),
        a.payment ? JSON.stringify(a.payment) : null,
        a.payee ? JSON.stringify(a.payee) : null,
        JSON.stringify(a.facts),
        JSON.stringify(a.explanation),
        a.householdId ?? null,
        a.origin ? JSON.stringify(a.origin) : null,
        ...versionParams(v),
      ],
    );
  }

  async insertVersion(a: AssignmentRecord, v: VersionRow): Promise<void> {
    await this.db.query(
      `INSERT INTO social_processing.assignment_version (assignment_id, version, event_type, snapshot, reason, effective_from, differences, created_by, approved_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [a.id, a.version, ...versionParams(v)],
    );
  }

  /** The assignment taken over from a legacy case (source system and case number), or null. */
  async findByLegacyCase(sourceSystem: string, legacyCaseNumber: string): Promise<AssignmentRecord | null> {
    const row = await this.db.one<AssignmentRow>(
      `SELECT ${COLUMNS} FROM social_processing.assignment
        WHERE origin IS NOT NULL AND origin->>'sourceSystem' = $1 AND origin->>'legacyCaseNumber' = $2`,
      [sourceSystem, legacyCaseNumber],
    );
    return row ? toRecord(row) : null;
  }

  /** Serialises the take-over of one legacy case (transaction-scoped advisory lock), whoever its recipient. */
  async lockLegacyCase(sourceSystem: string, legacyCaseNumber: string): Promise<void> {
    this.db.assertActive('locking a legacy case');
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtextextended('social_processing.legacy-case:' || $1 || ':' || $2, 0))`, [
      sourceSystem,
      legacyCaseNumber,
    ]);
  }

  async findById(id: string): Promise<AssignmentRecord | null> {
    const row = await this.db.one<AssignmentRow>(`SELECT ${COLUMNS} FROM social_processing.assignment WHERE id = $1`, [id]);
    return row ? toRecord(row) : null;
  }

  /** The assignment locked for a change in the current transaction (null when there is none). */
  async lockById(id: string): Promise<AssignmentRecord | null> {
    this.db.assertActive('locking an assignment');
    const row = await this.db.one<AssignmentRow>(`SELECT ${COLUMNS} FROM social_processing.assignment WHERE id = $1 FOR UPDATE`, [id]);
    return row ? toRecord(row) : null;
  }

  /** Active or suspended assignments in which the person is the recipient or a member (of one programme, when given). */
  async findOpenByPerson(personId: string, programmeCode?: string): Promise<AssignmentRecord[]> {
    const rows = await this.db.query<AssignmentRow>(
      `SELECT ${COLUMNS} FROM social_processing.assignment
        WHERE status <> 'terminated' AND (recipient_person_id = $1 OR member_person_ids @> ARRAY[$1]::uuid[]) AND ($2::text IS NULL OR programme_code = $2)
        ORDER BY id`,
      [personId, programmeCode ?? null],
    );
    return rows.map(toRecord);
  }

  /** Active or suspended assignments in which the person is the recipient or a member, locked for a recalculation. */
  async lockOpenByPerson(personId: string): Promise<AssignmentRecord[]> {
    this.db.assertActive("locking a person's assignments");
    const rows = await this.db.query<AssignmentRow>(
      `SELECT ${COLUMNS} FROM social_processing.assignment
        WHERE status <> 'terminated' AND (recipient_person_id = $1 OR member_person_ids @> ARRAY[$1]::uuid[])
        ORDER BY id FOR UPDATE`,
      [personId],
    );
    return rows.map(toRecord);
  }

  /** Active or suspended assignments of which the person is the recipient (the one paid), locked. */
  async lockOpenByRecipient(personId: string): Promise<AssignmentRecord[]> {
    this.db.assertActive("locking a recipient's assignments");
    const rows = await this.db.query<AssignmentRow>(
      `SELECT ${COLUMNS} FROM social_processing.assignment WHERE status <> 'terminated' AND recipient_person_id = $1 ORDER BY id FOR UPDATE`,
      [personId],
    );
    return rows.map(toRecord);
  }

  /** One stored version: its reason and the snapshot it published (null when there is no such version). */
  async versionOf(id: string, version: number): Promise<{ reason: { code: string; text: string } | null; periodTo: string } | null> {
    const rows: { reason: { code: string; text: string } | null; period_to: string }[] = await this.db.query(
      `SELECT reason, snapshot->>'periodTo' AS period_to FROM social_processing.assignment_version WHERE assignment_id = $1 AND version = $2`,
      [id, version],
    );
    return rows[0] ? { reason: rows[0].reason ?? null, periodTo: rows[0].period_to } : null;
  }

  async openIdsOfProgramme(programmeCode: string): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM social_processing.assignment WHERE programme_code = $1 AND status <> 'terminated' ORDER BY id`,
      [programmeCode],
    );
    return rows.map((r) => r.id);
  }

  async versions(id: string): Promise<AssignmentVersionRecord[]> {
    const rows = await this.db.query<AssignmentVersionRow>(
      `SELECT version, event_type, reason, effective_from, differences, created_by, approved_by, created_at FROM social_processing.assignment_version WHERE assignment_id = $1 ORDER BY version`,
      [id],
    );
    return rows.map((r) => ({
      version: r.version,
      eventType: r.event_type,
      reason: r.reason ?? null,
      effectiveFrom: r.effective_from,
      differences: r.differences,
      createdBy: r.created_by,
      approvedBy: r.approved_by ?? null,
      createdAt: r.created_at.toISOString(),
    }));
  }

  /** The months from which the assignment was extended (versions with reason EXTENDED). */
  async extensionMonths(assignmentId: string): Promise<string[]> {
    const rows = await this.db.query<{ m: string }>(
      `SELECT DISTINCT effective_from AS m FROM social_processing.assignment_version WHERE assignment_id = $1 AND reason->>'code' = 'EXTENDED' ORDER BY 1`,
      [assignmentId],
    );
    return rows.map((r) => r.m);
  }

  async list(filter: {
    territory: string;
    personId?: string;
    programmeCode?: string;
    status?: string;
    limit: number;
    offset: number;
    withTotal?: boolean;
  }): Promise<{ items: AssignmentRecord[]; total: number | null }> {
    const where = `katottg LIKE $1 || '%' AND ($2::uuid IS NULL OR recipient_person_id = $2 OR member_person_ids @> ARRAY[$2]::uuid[]) AND ($3::text IS NULL OR programme_code = $3) AND ($4::text IS NULL OR status = $4)`;
    const params = [
      filter.territory === 'UA' ? 'UA' : filter.territory,
      filter.personId ?? null,
      filter.programmeCode ?? null,
      filter.status ?? null,
    ];
    const total = await this.db.total(filter, `SELECT count(*)::int AS total FROM social_processing.assignment WHERE ${where}`, params);

    const rows = await this.db.query<AssignmentRow>(
      `SELECT ${COLUMNS} FROM social_processing.assignment WHERE ${where} ORDER BY id LIMIT $5 OFFSET $6`,
      [...params, filter.limit, filter.offset],
    );
    return { items: rows.map(toRecord), total };
  }
}
