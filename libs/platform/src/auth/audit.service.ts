import type { EntityManager } from 'typeorm';
import { currentCorrelationId } from '../context/request-context';
import type { Principal } from './principal';

/** Records who read whose personal data ("who looked at my data"), in the service's own schema. */
export class AuditLog {
  constructor(private readonly schema: string) {}

  async recordRead(db: Pick<EntityManager, 'query'>, principal: Principal, subjectType: string, subjectIds: string[], purpose?: string): Promise<void> {
    await this.recordAction(db, principal, 'read', subjectType, subjectIds, purpose);
  }

  /**
   * Records an act on a subject (a request or a decision under the two-person rule, a bank-file
   * export, a settings change): who, which act, on what, why; in the caller's transaction.
   */
  async recordAction(db: Pick<EntityManager, 'query'>, principal: Principal, action: string, subjectType: string, subjectIds: string[], purpose?: string): Promise<void> {
    if (subjectIds.length === 0) return;
    await db.query(
      `INSERT INTO ${this.schema}.audit_log (actor_id, actor_roles, action, subject_type, subject_id, purpose, correlation_id)
       SELECT $1, $2, $3, $4, unnest($5::text[]), $6, $7`,
      [principal.id, principal.roles, action, subjectType, subjectIds, purpose ?? null, currentCorrelationId() ?? null],
    );
  }

  async readsOf(db: Pick<EntityManager, 'query'>, subjectType: string, subjectId: string): Promise<{ actorId: string; occurredAt: string; purpose: string | null }[]> {
    const rows: { actor_id: string; occurred_at: Date; purpose: string | null }[] = await db.query(
      `SELECT actor_id, occurred_at, purpose FROM ${this.schema}.audit_log WHERE subject_type = $1 AND subject_id = $2 ORDER BY occurred_at DESC LIMIT 1000`,
      [subjectType, subjectId],
    );
    return rows.map((r) => ({ actorId: r.actor_id, occurredAt: r.occurred_at.toISOString(), purpose: r.purpose }));
  }
}
