import { TransactionHost, kyivDate, type PageRequest } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { PersonPii } from '../person/pii.service';
import { openDocument, sealDocument } from './dci-sealed';
import type { DciSignatureAlgorithm } from './dci-signature';

/** What a DCI client may do: search (sync and async), subscribe (and unsubscribe), ask a transaction's status. */
export const DCI_ACTIONS = ['search', 'subscribe', 'txn-status'] as const;
export type DciAction = (typeof DCI_ACTIONS)[number];
export const DCI_QUERY_TYPES = ['idtype-value', 'expression', 'predicate'] as const;
/** The client's callback endpoints (the spec's paths in dci-callback-target.ts: on-status is /registry/txn/on-status). */
export type CallbackEndpoint = 'on-search' | 'on-subscribe' | 'on-unsubscribe' | 'on-status' | 'notify';

export interface DciClientRow {
  id: string;
  senderId: string;
  name: string;
  /** The client's DCI base URL: the default callbacks are <callbackUri>/registry/on-search etc. */
  callbackUri: string;
  /** A full URL for notifications, when not <callbackUri>/registry/notify. */
  notifyUri: string | null;
  /** The public key as a JWK. */
  publicKey: Record<string, unknown>;
  keyId: string;
  keyAlgorithm: DciSignatureAlgorithm;
  keyThumbprint: string;
  allowedActions: DciAction[];
  allowedQueryTypes: string[];
  maxRecordsPerRequest: number;
  maxRecordsPerDay: number;
  allowPrivateAddress: boolean;
  /** Record attributes allowed per purpose (dci-records.ts RECORD_ATTRIBUTES); null: no limit. */
  purposeAttributes: Record<string, string[]> | null;
  active: boolean;
  version: number;
  createdBy: string;
  updatedBy: string;
  createdAt: string;
  updatedAt: string;
}

export type DciClientWrite = Omit<DciClientRow, 'version' | 'createdAt' | 'updatedAt' | 'createdBy' | 'purposeAttributes'>;

/** A row of social_register.dci_client as the driver returns it. */
interface DciClientDbRow {
  id: string;
  sender_id: string;
  name: string;
  callback_uri: string;
  notify_uri: string | null;
  public_key: Record<string, unknown>;
  key_id: string;
  key_algorithm: DciSignatureAlgorithm;
  key_thumbprint: string;
  allowed_actions: DciAction[];
  allowed_query_types: string[];
  max_records_per_request: number;
  max_records_per_day: number;
  allow_private_address: boolean;
  purpose_attributes: Record<string, string[]> | null;
  active: boolean;
  version: number;
  created_by: string;
  updated_by: string;
  created_at: Date;
  updated_at: Date;
}

/** A row of social_register.dci_callback as the driver returns it (the body still sealed). */
interface CallbackDbRow {
  id: string;
  sender_id: string;
  endpoint: CallbackEndpoint;
  url: string;
  url_given: boolean | null;
  body: CallbackRow['body'];
  transaction_id: string | null;
  event_id: string | null;
  subscription_code: string | null;
  attempts: number;
}

const toClient = (r: DciClientDbRow): DciClientRow => ({
  id: r.id,
  senderId: r.sender_id,
  name: r.name,
  callbackUri: r.callback_uri,
  notifyUri: r.notify_uri ?? null,
  publicKey: r.public_key,
  keyId: r.key_id,
  keyAlgorithm: r.key_algorithm,
  keyThumbprint: r.key_thumbprint,
  allowedActions: r.allowed_actions,
  allowedQueryTypes: r.allowed_query_types,
  maxRecordsPerRequest: r.max_records_per_request,
  maxRecordsPerDay: r.max_records_per_day,
  allowPrivateAddress: r.allow_private_address,
  purposeAttributes: r.purpose_attributes ?? null,
  active: r.active,
  version: r.version,
  createdBy: r.created_by,
  updatedBy: r.updated_by,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export interface CallbackRow {
  id: string;
  senderId: string;
  endpoint: CallbackEndpoint;
  url: string;
  /** The URL is the request's header.sender_uri (else the registered default, recomputed at delivery). */
  urlGiven: boolean;
  body: { header: Record<string, unknown>; message?: unknown } | null;
  transactionId: string | null;
  eventId: string | null;
  subscriptionCode: string | null;
  attempts: number;
}

const toCallback = (r: CallbackDbRow): CallbackRow => ({
  id: r.id,
  senderId: r.sender_id,
  endpoint: r.endpoint,
  url: r.url,
  urlGiven: r.url_given ?? false,
  body: r.body,
  transactionId: r.transaction_id,
  eventId: r.event_id,
  subscriptionCode: r.subscription_code,
  attempts: r.attempts,
});

/** The register of DCI clients, their daily usage, and the callback outbox. */
@Injectable()
export class DciClientRepository {
  constructor(
    private readonly db: TransactionHost,
    private readonly pii: PersonPii,
  ) {}

  // ── clients ───────────────────────────────────────────────────────────────

  async bySender(senderId: string): Promise<DciClientRow | null> {
    const [r] = await this.db.query<DciClientDbRow>(`SELECT * FROM social_register.dci_client WHERE sender_id = $1`, [senderId]);
    return r ? toClient(r) : null;
  }

  async byId(id: string, lock = false): Promise<DciClientRow | null> {
    const [r] = await this.db.query<DciClientDbRow>(`SELECT * FROM social_register.dci_client WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [
      id,
    ]);
    return r ? toClient(r) : null;
  }

  async insert(c: DciClientWrite & { createdBy: string }): Promise<DciClientRow> {
    const [r] = await this.db.query<DciClientDbRow>(
      `INSERT INTO social_register.dci_client (id, sender_id, name, callback_uri, public_key, key_id, key_algorithm, key_thumbprint, allowed_actions, allowed_query_types,
                                               max_records_per_request, max_records_per_day, allow_private_address, active, created_by, updated_by, notify_uri)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16) RETURNING *`,
      [
        c.id,
        c.senderId,
        c.name,
        c.callbackUri,
        JSON.stringify(c.publicKey),
        c.keyId,
        c.keyAlgorithm,
        c.keyThumbprint,
        c.allowedActions,
        c.allowedQueryTypes,
        c.maxRecordsPerRequest,
        c.maxRecordsPerDay,
        c.allowPrivateAddress,
        c.active,
        c.createdBy,
        c.notifyUri,
      ],
    );
    return toClient(r!);
  }

  async update(c: DciClientWrite): Promise<DciClientRow> {
    const [r] = await this.db.query<DciClientDbRow>(
      `UPDATE social_register.dci_client SET name = $2, callback_uri = $3, public_key = $4, key_id = $5, key_algorithm = $6, key_thumbprint = $7, allowed_actions = $8, allowed_query_types = $9,
              max_records_per_request = $10, max_records_per_day = $11, allow_private_address = $12, active = $13, updated_by = $14, notify_uri = $15, version = version + 1, updated_at = now()
        WHERE id = $1 RETURNING *`,
      [
        c.id,
        c.name,
        c.callbackUri,
        JSON.stringify(c.publicKey),
        c.keyId,
        c.keyAlgorithm,
        c.keyThumbprint,
        c.allowedActions,
        c.allowedQueryTypes,
        c.maxRecordsPerRequest,
        c.maxRecordsPerDay,
        c.allowPrivateAddress,
        c.active,
        c.updatedBy,
        c.notifyUri,
      ],
    );
    return toClient(r!);
  }

  /** Sets the purpose → attributes setting (null: no limit) in the caller's transaction. */
  async setPurposeAttributes(id: string, purposeAttributes: Record<string, string[]> | null): Promise<DciClientRow> {
    const [r] = await this.db.query<DciClientDbRow>(
      `UPDATE social_register.dci_client SET purpose_attributes = $2 WHERE id = $1 RETURNING *`,
      [id, purposeAttributes === null ? null : JSON.stringify(purposeAttributes)],
    );
    return toClient(r!);
  }

  async list(q: { active?: boolean; q?: string } & PageRequest): Promise<{ items: DciClientRow[]; total: number | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.active !== undefined) where.push(`active = $${params.push(q.active)}`);
    if (q.q) where.push(`(sender_id ILIKE '%' || $${params.push(q.q)} || '%' OR name ILIKE '%' || $${params.length} || '%')`);
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = await this.db.total(q, `SELECT count(*)::int AS total FROM social_register.dci_client ${w}`, params);

    const rows = await this.db.query<DciClientDbRow>(
      `SELECT * FROM social_register.dci_client ${w} ORDER BY sender_id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, q.limit, q.offset],
    );
    return { items: rows.map(toClient), total };
  }

  // ── daily quota ───────────────────────────────────────────────────────────

  /** Reserves up to `wanted` records of the sender's daily quota (atomically, in a transaction of its own); returns how many were granted. */
  async reserveRecords(senderId: string, wanted: number, perDay: number, now: Date): Promise<number> {
    if (wanted <= 0) return 0;
    return this.db.run(() => this.reserveRecordsIn(senderId, wanted, perDay, now), { propagation: 'new' });
  }

  /** The same in the caller's transaction (the usage row stays locked until it ends; a rollback gives the records back). */
  async reserveRecordsIn(senderId: string, wanted: number, perDay: number, now: Date): Promise<number> {
    if (wanted <= 0) return 0;
    const day = kyivDate(now);
    await this.db.query(
      `INSERT INTO social_register.dci_client_usage (sender_id, day, records) VALUES ($1, $2::date, 0) ON CONFLICT DO NOTHING`,
      [senderId, day],
    );
    const [u] = await this.db.query<{ records: number | string }>(
      `SELECT records FROM social_register.dci_client_usage WHERE sender_id = $1 AND day = $2::date FOR UPDATE`,
      [senderId, day],
    );
    const granted = Math.min(wanted, Math.max(perDay - Number(u!.records), 0));
    if (granted > 0)
      await this.db.query(`UPDATE social_register.dci_client_usage SET records = records + $3 WHERE sender_id = $1 AND day = $2::date`, [
        senderId,
        day,
        granted,
      ]);
    return granted;
  }

  /** Gives back reserved records that were not returned (in the current transaction, or on its own outside one). */
  async releaseRecords(senderId: string, count: number, now: Date): Promise<void> {
    if (count <= 0) return;
    await this.db.query(
      `UPDATE social_register.dci_client_usage SET records = GREATEST(records - $3, 0) WHERE sender_id = $1 AND day = $2::date`,
      [senderId, kyivDate(now), count],
    );
  }

  async recordsToday(senderId: string, now: Date): Promise<number> {
    const [r] = await this.db.query<{ records: number }>(
      `SELECT records FROM social_register.dci_client_usage WHERE sender_id = $1 AND day = $2::date`,
      [senderId, kyivDate(now)],
    );
    return r?.records ?? 0;
  }

  // ── callback outbox ───────────────────────────────────────────────────────

  /** Queues a callback in the caller's transaction (with the state change it reports); its body is stored sealed (dci-sealed.ts). */
  async enqueueCallback(c: {
    id: string;
    senderId: string;
    endpoint: CallbackEndpoint;
    url: string;
    urlGiven?: boolean;
    body: unknown;
    transactionId?: string;
    eventId?: string;
    subscriptionCode?: string;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO social_register.dci_callback (id, sender_id, endpoint, url, url_given, body, transaction_id, event_id, subscription_code) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        c.id,
        c.senderId,
        c.endpoint,
        c.url,
        c.urlGiven ?? false,
        sealDocument(this.pii.cipher, c.body, 'dci_callback.body'),
        c.transactionId ?? null,
        c.eventId ?? null,
        c.subscriptionCode ?? null,
      ],
    );
  }

  /** Closes a DCI transaction in the caller's transaction (status and the response its callback carries, sealed). */
  async completeTransaction(id: string, status: string, response: unknown, error: string | null = null): Promise<void> {
    await this.db.query(
      `UPDATE social_register.dci_transaction SET status = $2, response = $3, error = $4, completed_at = now() WHERE id = $1`,
      [id, status, sealDocument(this.pii.cipher, response, 'dci_transaction.response'), error],
    );
  }

  /**
   * Claims due callbacks: each is leased (its next attempt pushed `leaseMs` ahead and its attempt
   * counted) in a short transaction, so other replicas skip it while it is being delivered.
   */
  async claimDue(limit: number, leaseMs: number): Promise<CallbackRow[]> {
    const rows = await this.db.query<CallbackDbRow>(
      `UPDATE social_register.dci_callback SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
        WHERE id IN (SELECT id FROM social_register.dci_callback WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING *`,
      [limit, leaseMs],
    );
    const out: CallbackRow[] = [];
    for (const r of rows) out.push({ ...toCallback(r), body: openDocument(await this.pii.cipherFor(r.body), r.body, 'dci_callback.body') });
    return out;
  }

  async markDelivered(c: CallbackRow, status: number): Promise<void> {
    await this.db.run(async () => {
      await this.db.query(
        `UPDATE social_register.dci_callback SET status = 'delivered', last_status = $2, last_error = NULL, body = NULL, finished_at = now() WHERE id = $1`,
        [c.id, status],
      );
      if (c.eventId && c.subscriptionCode)
        await this.db.query(
          `UPDATE social_register.dci_notification SET outcome = 'delivered', http_status = $3, sent_at = now() WHERE event_id = $1 AND subscription_code = $2`,
          [c.eventId, c.subscriptionCode, status],
        );
    });
  }

  /**
   * A failed attempt: retried at `retryAt`, or dead (null) — the transaction or notification it
   * reports records the failure. Delivered and dead callbacks drop their body (personal data is not
   * kept for nothing; an answer stays readable through txn-status).
   */
  async markFailed(c: CallbackRow, status: number | null, error: string, retryAt: Date | null): Promise<void> {
    await this.db.run(async () => {
      if (retryAt) {
        await this.db.query(
          `UPDATE social_register.dci_callback SET last_status = $2, last_error = $3, next_attempt_at = $4 WHERE id = $1`,
          [c.id, status, error.slice(0, 500), retryAt],
        );
        return;
      }
      await this.db.query(
        `UPDATE social_register.dci_callback SET status = 'dead', last_status = $2, last_error = $3, body = NULL, finished_at = now() WHERE id = $1`,
        [c.id, status, error.slice(0, 500)],
      );
      if (c.transactionId)
        await this.db.query(`UPDATE social_register.dci_transaction SET error = $2 WHERE id = $1`, [
          c.transactionId,
          `${c.endpoint} callback failed after ${c.attempts} attempt(s): ${error}`.slice(0, 1000),
        ]);
      if (c.eventId && c.subscriptionCode)
        await this.db.query(
          `UPDATE social_register.dci_notification SET outcome = 'failed', http_status = $3, sent_at = now() WHERE event_id = $1 AND subscription_code = $2`,
          [c.eventId, c.subscriptionCode, status],
        );
    });
  }

  async pendingCount(): Promise<number> {
    const [r] = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM social_register.dci_callback WHERE status = 'pending'`);
    return r!.n;
  }
}
