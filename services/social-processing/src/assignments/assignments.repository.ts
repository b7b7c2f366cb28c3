import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Payee, PaymentDetails } from '../person-projection/person-projection.repository';
import type { ApplicationFacts, ExplanationNode } from '../rules/rule-set';
import type { MonthDifference, StoredMonth } from './recalculation';

export type AssignmentStatus = 'active' | 'suspended' | 'terminated';
export type { Payee, PaymentDetails };

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

type Db = Pick<EntityManager, 'query'>;

const COLUMNS = `id, version, application_id, programme_code, rule_set_version, recipient_person_id, member_person_ids, katottg,
  period_from, period_to, status, months, payment, payee, facts, explanation`;

function toRecord(r: Record<string, unknown>): AssignmentRecord {
  return {
    id: r.id as string,
    version: r.version as number,
    applicationId: (r.application_id as string | null) ?? null,
    programmeCode: r.programme_code as string,
    ruleSetVersion: r.rule_set_version as string,
    recipientPersonId: r.recipient_person_id as string,
    memberPersonIds: r.member_person_ids as string[],
    katottg: r.katottg as string,
    periodFrom: r.period_from as string,
    periodTo: r.period_to as string,
    status: r.status as AssignmentStatus,
    months: r.months as StoredMonth[],
    payment: (r.payment as PaymentDetails | null) ?? null,
    payee: (r.payee as Payee | null) ?? null,
    facts: r.facts as ApplicationFacts,
    explanation: r.explanation as ExplanationNode,
  };
}

@Injectable()
export class AssignmentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  db(): Db {
    return this.dataSource.manager;
  }

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insert(tx: Db, a: AssignmentRecord): Promise<void> {
    await tx.query(
      `INSERT INTO social_processing.assignment (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7::uuid[], $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
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
      ],
    );
  }

  async update(tx: Db, a: AssignmentRecord): Promise<void> {
    await tx.query(
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

  async insertVersion(
    tx: Db,
    a: AssignmentRecord,
    v: {
      eventType: string;
      snapshot: unknown;
      reason: { code: string; text: string } | null;
      effectiveFrom: string;
      differences: MonthDifference[];
      createdBy: string;
      approvedBy: string | null;
    },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO social_processing.assignment_version (assignment_id, version, event_type, snapshot, reason, effective_from, differences, created_by, approved_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        a.id,
        a.version,
        v.eventType,
        JSON.stringify(v.snapshot),
        v.reason ? JSON.stringify(v.reason) : null,
        v.effectiveFrom,
        JSON.stringify(v.differences),
        v.createdBy,
        v.approvedBy,
      ],
    );
  }

  async findById(id: string, db: Db = this.dataSource.manager, forUpdate = false): Promise<AssignmentRecord | null> {
    const rows = await db.query(`SELECT ${COLUMNS} FROM social_processing.assignment WHERE id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Active or suspended assignments in which the person is the recipient or a member (locked for a recalculation). */
  async findOpenByPerson(tx: Db, personId: string, programmeCode?: string, forUpdate = false): Promise<AssignmentRecord[]> {
    const rows = await tx.query(
      `SELECT ${COLUMNS} FROM social_processing.assignment
        WHERE status <> 'terminated' AND (recipient_person_id = $1 OR member_person_ids @> ARRAY[$1]::uuid[]) AND ($2::text IS NULL OR programme_code = $2)
        ORDER BY id ${forUpdate ? 'FOR UPDATE' : ''}`,
      [personId, programmeCode ?? null],
    );
    return rows.map(toRecord);
  }

  /** Active or suspended assignments of which the person is the recipient (the one paid), locked. */
  async findOpenByRecipient(tx: Db, personId: string): Promise<AssignmentRecord[]> {
    const rows = await tx.query(
      `SELECT ${COLUMNS} FROM social_processing.assignment WHERE status <> 'terminated' AND recipient_person_id = $1 ORDER BY id FOR UPDATE`,
      [personId],
    );
    return rows.map(toRecord);
  }

  /** One stored version: its reason and the snapshot it published (null when there is no such version). */
  async versionOf(
    db: Db,
    id: string,
    version: number,
  ): Promise<{ reason: { code: string; text: string } | null; periodTo: string } | null> {
    const rows: { reason: { code: string; text: string } | null; period_to: string }[] = await db.query(
      `SELECT reason, snapshot->>'periodTo' AS period_to FROM social_processing.assignment_version WHERE assignment_id = $1 AND version = $2`,
      [id, version],
    );
    return rows[0] ? { reason: rows[0].reason ?? null, periodTo: rows[0].period_to } : null;
  }

  async openIdsOfProgramme(programmeCode: string, db: Db = this.dataSource.manager): Promise<string[]> {
    const rows: { id: string }[] = await db.query(
      `SELECT id FROM social_processing.assignment WHERE programme_code = $1 AND status <> 'terminated' ORDER BY id`,
      [programmeCode],
    );
    return rows.map((r) => r.id);
  }

  async versions(id: string): Promise<AssignmentVersionRecord[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT version, event_type, reason, effective_from, differences, created_by, approved_by, created_at FROM social_processing.assignment_version WHERE assignment_id = $1 ORDER BY version`,
      [id],
    );
    return rows.map((r) => ({
      version: r.version as number,
      eventType: r.event_type as string,
      reason: (r.reason as { code: string; text: string } | null) ?? null,
      effectiveFrom: r.effective_from as string,
      differences: r.differences as MonthDifference[],
      createdBy: r.created_by as string,
      approvedBy: (r.approved_by as string | null) ?? null,
      createdAt: (r.created_at as Date).toISOString(),
    }));
  }

  async list(filter: {
    territory: string;
    personId?: string;
    programmeCode?: string;
    status?: string;
    limit: number;
    offset: number;
  }): Promise<{ items: AssignmentRecord[]; total: number }> {
    const where = `katottg LIKE $1 || '%' AND ($2::uuid IS NULL OR recipient_person_id = $2 OR member_person_ids @> ARRAY[$2]::uuid[]) AND ($3::text IS NULL OR programme_code = $3) AND ($4::text IS NULL OR status = $4)`;
    const params = [
      filter.territory === 'UA' ? 'UA' : filter.territory,
      filter.personId ?? null,
      filter.programmeCode ?? null,
      filter.status ?? null,
    ];
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM social_processing.assignment WHERE ${where}`,
      params,
    );
    const rows = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM social_processing.assignment WHERE ${where} ORDER BY id LIMIT $5 OFFSET $6`,
      [...params, filter.limit, filter.offset],
    );
    return { items: rows.map(toRecord), total };
  }
}
