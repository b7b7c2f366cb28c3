import { personDataReadContract, type EventContract } from '@eisss/contracts';
import type { EntityManager } from 'typeorm';
import { currentContext, currentCorrelationId } from '../context/request-context';
import { TransactionHost } from '../db/transaction-host';
import { outboxChannel } from '../messaging/outbox.sql';
import type { Principal } from './principal';

/**
 * The schema of a service's audit trail. It is owned by the role `eisss_audit` (created by
 * scripts/infra/postgres.js, not by the service's migrations), so the service role, which owns its
 * own schema and could drop anything in it, may only INSERT and SELECT there: nobody running as the
 * service can edit or remove what the trail says.
 */
export function auditSchema(schema: string): string {
  return `${schema}_audit`;
}

/** The append-only table of a service's audit trail. */
export function auditTable(schema: string): string {
  return `${auditSchema(schema)}.audit_log`;
}

type Db = Pick<EntityManager, 'query'>;

/** The ambient transaction's manager, or the pool of the newest host outside one. */
const ambientDb = (): Db => TransactionHost.ambientManager() ?? TransactionHost.current().manager;

/**
 * Records who read or did what to whose data ("who looked at my data"), in the service's
 * append-only audit trail. A read of a person by a service other than the register is also
 * published (same statement, through the outbox) so the register can show it to the person.
 */
export class AuditLog {
  private readonly readContract?: EventContract;

  constructor(
    private readonly schema: string,
    private readonly service?: string,
  ) {
    this.readContract = service ? personDataReadContract(service) : undefined;
  }

  get table(): string {
    return auditTable(this.schema);
  }

  /** Records a read of subjects, in the transaction open in this call chain (one statement otherwise). */
  async recordRead(principal: Principal, subjectType: string, subjectIds: string[], purpose?: string): Promise<void> {
    await this.recordAction(principal, 'read', subjectType, subjectIds, purpose);
  }

  /**
   * Records an act on a subject (a read, a request or a decision under the two-person rule, a
   * bank-file export, a settings change): who, which act, on what, why; in the caller's
   * transaction when there is one (one statement otherwise, so the trail row and its event are
   * written together or not at all).
   */
  async recordAction(principal: Principal, action: string, subjectType: string, subjectIds: string[], purpose?: string): Promise<void> {
    const db = ambientDb();
    const ids = [...new Set(subjectIds)];
    if (ids.length === 0) return;
    // An act in a service session names it: the person and the home office see which office served them and why.
    const s = principal.serviceSession;
    const why = s ? `${purpose ?? action} [service session ${s.id}: ${s.purpose} at office ${s.officeTerritory}]` : (purpose ?? null);
    const params = [principal.id, principal.roles, action, subjectType, ids, why, currentCorrelationId() ?? null];
    const insert = `INSERT INTO ${this.table} (actor_id, actor_roles, action, subject_type, subject_id, purpose, correlation_id)
       SELECT $1, $2, $3, $4, unnest($5::text[]), $6, $7`;
    if (!this.readContract || subjectType !== 'person') {
      await db.query(insert, params);
      return;
    }
    const c = this.readContract;
    const ctx = currentContext();
    // The trail rows and one event per person read, keyed by the person (so the register sees one
    // person's reads in order). Subject ids that are not person ids (uuid) are recorded, not published.
    // One statement: the trail rows, their events and the relay's wake-up (delivered on commit; only when an event was written).
    await db.query(
      `WITH rows AS (${insert} RETURNING subject_id, occurred_at),
       published AS (INSERT INTO ${this.schema}.outbox (event_id, topic, message_key, envelope)
       SELECT e.id, $8, r.subject_id, jsonb_build_object(
                'eventId', e.id, 'eventType', $9::text, 'eventVersion', $10::int,
                'occurredAt', to_char(r.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'producer', $11::text, 'aggregateType', 'person', 'aggregateId', r.subject_id,
                'correlationId', coalesce($7, e.id::text), 'causationId', $12::text,
                'payload', jsonb_build_object('personId', r.subject_id, 'actorId', $1::text, 'actorRoles', to_jsonb($2::text[]),
                  'action', $3::text, 'purpose', $6::text,
                  'readAt', to_char(r.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
         FROM rows r CROSS JOIN LATERAL (SELECT gen_random_uuid() AS id) e
        WHERE r.subject_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        RETURNING 1)
       SELECT pg_notify($13, '') FROM (SELECT 1 FROM published LIMIT 1) p`,
      [...params, c.topic, c.eventType, c.eventVersion, c.producer, ctx?.causationId ?? null, outboxChannel(this.schema)],
    );
  }

  async readsOf(subjectType: string, subjectId: string): Promise<{ actorId: string; occurredAt: string; purpose: string | null }[]> {
    const db = ambientDb();
    const rows: { actor_id: string; occurred_at: Date; purpose: string | null }[] = await db.query(
      `SELECT actor_id, occurred_at, purpose FROM ${this.table} WHERE subject_type = $1 AND subject_id = $2 ORDER BY occurred_at DESC LIMIT 1000`,
      [subjectType, subjectId],
    );
    return rows.map((r) => ({ actorId: r.actor_id, occurredAt: r.occurred_at.toISOString(), purpose: r.purpose }));
  }
}
