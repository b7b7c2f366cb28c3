import { TransactionHost, type Principal } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { PersonPii } from '../person/pii.service';
import { openDocument, sealDocument } from './dci-sealed';
import type { Condition } from './dci-query';
import { groupWhere, personWhere, type SqlContext } from './dci-query-sql';

export type TxnStatus = 'rcvd' | 'pdng' | 'succ' | 'rjct';

export interface DciTransactionRow {
  id: string;
  senderId: string;
  messageId: string;
  transactionId: string;
  correlationId: string;
  action: string;
  status: TxnStatus;
  referenceIds: string[];
  callbackUri: string | null;
  request: Record<string, any>;
  response: Record<string, any> | null;
  principal: Principal;
  createdAt: string;
}

export interface SubscriptionRow {
  code: string;
  senderId: string;
  senderUri: string;
  transactionId: string;
  referenceId: string;
  regEventType: string;
  filter: { conditions: Condition[] };
  notifyRecordType: string;
  territory: string;
  status: 'subscribe' | 'unsubscribe';
  createdAt: string;
}

export interface PersonRecordRow {
  id: string;
  rnokpp: string | null;
  unzr: string | null;
  last_name: string;
  first_name: string;
  patronymic: string | null;
  birth_date: string;
  death_date: string | null;
  sex: string;
  katottg: string | null;
  actual_katottg: string | null;
  registered_address: string | null;
  actual_address: string | null;
  phone: string | null;
  email: string | null;
  created_at: Date;
  updated_at: Date;
  statuses: { type: string; valid_from: string; valid_to: string | null; details: Record<string, unknown> }[] | null;
  household: { household_id: string; role: string } | null;
}

/** A household as searched (SRGroup): its active members with their roles and person records. */
export interface GroupRecordRow {
  id: string;
  katottg: string;
  address: string | null;
  created_at: Date;
  updated_at: Date;
  members: { role: string; joined_on: string; person: PersonRecordRow }[];
}

/** A row of social_register.dci_transaction as the driver returns it (request and response still sealed). */
interface DciTransactionDbRow {
  id: string;
  sender_id: string;
  message_id: string;
  transaction_id: string;
  correlation_id: string;
  action: string;
  status: TxnStatus;
  reference_ids: string[];
  callback_uri: string | null;
  request: Record<string, any>;
  response: Record<string, any> | null;
  principal: Principal;
  created_at: Date;
}

interface SubscriptionDbRow {
  code: string;
  sender_id: string;
  sender_uri: string;
  transaction_id: string;
  reference_id: string;
  reg_event_type: string;
  filter: { conditions: Condition[] };
  notify_record_type: string;
  territory: string;
  status: 'subscribe' | 'unsubscribe';
  created_at: Date;
}

/** A row of PERSON_RECORD: personal data still sealed (`<field>_enc`). */
type PersonRecordDbRow = Omit<PersonRecordRow, 'rnokpp' | 'unzr' | 'phone' | 'email'> & {
  rnokpp_enc: string | null;
  unzr_enc: string | null;
  phone_enc: string | null;
  email_enc: string | null;
};

type MemberRecordDbRow = PersonRecordDbRow & { member_household_id: string; member_role: string; member_joined_on: string };

type HouseholdDbRow = { id: string; katottg: string; address: string | null; created_at: Date; updated_at: Date };

const toTxn = (r: DciTransactionDbRow): DciTransactionRow => ({
  id: r.id,
  senderId: r.sender_id,
  messageId: r.message_id,
  transactionId: r.transaction_id,
  correlationId: r.correlation_id,
  action: r.action,
  status: r.status,
  referenceIds: r.reference_ids,
  callbackUri: r.callback_uri,
  request: r.request,
  response: r.response,
  principal: r.principal,
  createdAt: r.created_at.toISOString(),
});

const toSub = (r: SubscriptionDbRow): SubscriptionRow => ({
  code: r.code,
  senderId: r.sender_id,
  senderUri: r.sender_uri,
  transactionId: r.transaction_id,
  referenceId: r.reference_id,
  regEventType: r.reg_event_type,
  filter: r.filter,
  notifyRecordType: r.notify_record_type,
  territory: r.territory,
  status: r.status,
  createdAt: r.created_at.toISOString(),
});

// Personal data is stored encrypted (person/person-pii.ts): the `_enc` columns are decrypted by personRecords().
const PERSON_RECORD = `
  p.id, p.rnokpp_enc, p.unzr_enc, p.last_name, p.first_name, p.patronymic, to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date,
  to_char(p.death_date, 'YYYY-MM-DD') AS death_date, p.sex, p.katottg, p.actual_katottg, p.registered_address, p.actual_address,
  p.phone_enc, p.email_enc, p.created_at, p.updated_at,
  (SELECT json_agg(json_build_object('type', s.type, 'valid_from', to_char(s.valid_from, 'YYYY-MM-DD'), 'valid_to', to_char(s.valid_to, 'YYYY-MM-DD'), 'details', s.details) ORDER BY s.valid_from)
     FROM social_register.person_status s WHERE s.person_id = p.id) AS statuses,
  (SELECT json_build_object('household_id', m.household_id, 'role', m.role) FROM social_register.household_member m WHERE m.person_id = p.id AND m.left_on IS NULL) AS household`;

const SORTABLE: Record<string, string> = {
  last_name: 'p.last_name',
  birth_date: 'p.birth_date',
  registration_date: 'p.created_at',
  id: 'p.id',
};
export const SORTABLE_ATTRIBUTES = Object.keys(SORTABLE);
const GROUP_SORTABLE: Record<string, string> = {
  registration_date: 'h.created_at',
  id: 'h.id',
  group_size: '(SELECT count(*) FROM social_register.household_member sm WHERE sm.household_id = h.id AND sm.left_on IS NULL)',
  location: 'h.katottg',
};
export const GROUP_SORTABLE_ATTRIBUTES = Object.keys(GROUP_SORTABLE);

@Injectable()
export class DciRepository {
  constructor(
    private readonly db: TransactionHost,
    private readonly pii: PersonPii,
  ) {}

  /** Rows of PERSON_RECORD with their personal data decrypted. */
  private async personRecords(rows: PersonRecordDbRow[]): Promise<PersonRecordRow[]> {
    const out: PersonRecordRow[] = [];
    for (const { rnokpp_enc, unzr_enc, phone_enc, email_enc, ...rest } of rows) {
      const plain = await this.pii.openColumns({ rnokpp_enc, unzr_enc, phone_enc, email_enc });
      out.push({ ...rest, rnokpp: plain.rnokpp, unzr: plain.unzr, phone: plain.phone, email: plain.email });
    }
    return out;
  }

  /** A transaction row with its request and response opened (they are stored sealed, dci-sealed.ts). */
  private async toOpenTxn(r: DciTransactionDbRow): Promise<DciTransactionRow> {
    const cipher = await this.pii.cipherFor(r.request, r.response);
    return {
      ...toTxn(r),
      request: openDocument(cipher, r.request, 'dci_transaction.request')!,
      response: openDocument(cipher, r.response, 'dci_transaction.response'),
    };
  }

  /** Records a received message; null when the sender already sent this message_id. */
  async insertTransaction(t: Omit<DciTransactionRow, 'createdAt' | 'response'>): Promise<DciTransactionRow | null> {
    const rows = await this.db.query<DciTransactionDbRow>(
      `INSERT INTO social_register.dci_transaction (id, sender_id, message_id, transaction_id, correlation_id, action, status, reference_ids, callback_uri, request, principal)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (sender_id, message_id) DO NOTHING RETURNING *`,
      [
        t.id,
        t.senderId,
        t.messageId,
        t.transactionId,
        t.correlationId,
        t.action,
        t.status,
        t.referenceIds,
        t.callbackUri,
        sealDocument(this.pii.cipher, t.request, 'dci_transaction.request'),
        JSON.stringify(t.principal),
      ],
    );
    return rows[0] ? this.toOpenTxn(rows[0]) : null;
  }

  async completeTransaction(id: string, status: TxnStatus, response: unknown, error: string | null = null): Promise<void> {
    await this.db.query(
      `UPDATE social_register.dci_transaction SET status = $2, response = $3, error = $4, completed_at = now() WHERE id = $1`,
      [id, status, sealDocument(this.pii.cipher, response, 'dci_transaction.response'), error],
    );
  }

  /** Claims async searches left pending by a process that stopped before answering (older than the grace period). */
  async claimStalledSearches(graceSeconds: number): Promise<DciTransactionRow[]> {
    const rows = await this.db.query<DciTransactionDbRow>(
      `UPDATE social_register.dci_transaction SET status = 'rcvd'
        WHERE id IN (SELECT id FROM social_register.dci_transaction
                      WHERE status IN ('pdng', 'rcvd') AND action = 'search' AND callback_uri IS NOT NULL AND response IS NULL
                        AND created_at < now() - make_interval(secs => $1)
                      ORDER BY created_at LIMIT 100 FOR UPDATE SKIP LOCKED)
        RETURNING *`,
      [graceSeconds],
    );
    return Promise.all(rows.map((r) => this.toOpenTxn(r)));
  }

  async findTransactions(senderId: string, attributeType: string, value: string | string[]): Promise<DciTransactionRow[]> {
    const column =
      attributeType === 'correlation_id'
        ? 'correlation_id = $2'
        : attributeType === 'transaction_id'
          ? 'transaction_id = $2'
          : 'reference_ids && $2::text[]';
    const rows = await this.db.query<DciTransactionDbRow>(
      `SELECT * FROM social_register.dci_transaction WHERE sender_id = $1 AND ${column} AND action IN ('search', 'subscribe', 'unsubscribe') ORDER BY created_at`,
      [senderId, attributeType === 'reference_id_list' ? (Array.isArray(value) ? value : [value]) : value],
    );
    return Promise.all(rows.map((r) => this.toOpenTxn(r)));
  }

  /** A query's SQL context: parameters collected in order, hashes through the register's key, the query date. */
  private sqlContext(today: string): { params: unknown[]; ctx: SqlContext } {
    const params: unknown[] = [];
    const ctx: SqlContext = {
      param: (v) => `$${params.push(v)}`,
      hash: (kind, v) => this.pii.hash(kind, v),
      today,
    };
    return { params, ctx };
  }

  /** Persons matching all conditions (dci-query-sql.ts), within the territory, with total. */
  async searchPersons(
    territory: string,
    conditions: Condition[],
    sort: { attr: string; order: 'asc' | 'desc' }[],
    limit: number,
    offset: number,
    today: string,
  ): Promise<{ rows: PersonRecordRow[]; total: number }> {
    const { params, ctx } = this.sqlContext(today);
    const where: string[] = ['p.merged_into IS NULL'];
    if (territory !== 'UA') {
      const t = ctx.param(territory);
      where.push(`(p.katottg LIKE ${t} || '%' OR p.actual_katottg LIKE ${t} || '%')`);
    }
    where.push(...personWhere(conditions, ctx));
    const whereSql = `WHERE ${where.join(' AND ')}`;
    const order = [...sort.map((s) => `${SORTABLE[s.attr]} ${s.order === 'desc' ? 'DESC' : 'ASC'}`), 'p.last_name', 'p.id'].join(', ');
    const [{ total }] = await this.db.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM social_register.person p ${whereSql}`,
      params,
    );
    const rows = await this.db.query<PersonRecordDbRow>(
      `SELECT ${PERSON_RECORD} FROM social_register.person p ${whereSql} ORDER BY ${order} LIMIT ${ctx.param(limit)} OFFSET ${ctx.param(offset)}`,
      params,
    );
    return { rows: await this.personRecords(rows), total };
  }

  /**
   * Households with at least one active member matching all conditions (dci-query-sql.ts), whose
   * КАТОТТГ is within the territory, with total; each with its active members (head first).
   */
  async searchGroups(
    territory: string,
    conditions: Condition[],
    sort: { attr: string; order: 'asc' | 'desc' }[],
    limit: number,
    offset: number,
    today: string,
  ): Promise<{ rows: GroupRecordRow[]; total: number }> {
    const { params, ctx } = this.sqlContext(today);
    const where: string[] = [
      `EXISTS (SELECT 1 FROM social_register.household_member am WHERE am.household_id = h.id AND am.left_on IS NULL)`,
    ];
    if (territory !== 'UA') where.push(`h.katottg LIKE ${ctx.param(territory)} || '%'`);
    where.push(...groupWhere(conditions, ctx));
    const whereSql = `WHERE ${where.join(' AND ')}`;
    const order = [...sort.map((s) => `${GROUP_SORTABLE[s.attr]} ${s.order === 'desc' ? 'DESC' : 'ASC'}`), 'h.created_at', 'h.id'].join(
      ', ',
    );
    const [{ total }] = await this.db.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM social_register.household h ${whereSql}`,
      params,
    );
    const households = await this.db.query<HouseholdDbRow>(
      `SELECT h.id, h.katottg, h.address, h.created_at, h.updated_at FROM social_register.household h ${whereSql} ORDER BY ${order} LIMIT ${ctx.param(limit)} OFFSET ${ctx.param(offset)}`,
      params,
    );
    return { rows: await this.withMembers(households), total };
  }

  /** Households with their active members (head first, then recipients, then dependants), personal data decrypted. */
  private async withMembers(households: HouseholdDbRow[]): Promise<GroupRecordRow[]> {
    if (households.length === 0) return [];
    const memberRows = await this.db.query<MemberRecordDbRow>(
      `SELECT m.household_id AS member_household_id, m.role AS member_role, to_char(m.joined_on, 'YYYY-MM-DD') AS member_joined_on, ${PERSON_RECORD}
         FROM social_register.household_member m JOIN social_register.person p ON p.id = m.person_id
        WHERE m.household_id = ANY ($1::uuid[]) AND m.left_on IS NULL AND p.merged_into IS NULL
        ORDER BY m.household_id, CASE m.role WHEN 'head' THEN 0 WHEN 'recipient' THEN 1 ELSE 2 END, m.joined_on, m.id`,
      [households.map((h) => h.id)],
    );
    const people = await this.personRecords(
      memberRows.map(({ member_household_id: _h, member_role: _r, member_joined_on: _j, ...rest }) => rest),
    );
    return households.map((h) => ({
      ...h,
      katottg: h.katottg.trim(),
      members: memberRows.flatMap((m, i) =>
        m.member_household_id === h.id ? [{ role: m.member_role, joined_on: m.member_joined_on, person: people[i]! }] : [],
      ),
    }));
  }

  /** One household as an SRGroup row (for dci-records.ts toSrGroup), or null. */
  async personRecord(id: string): Promise<PersonRecordRow | null> {
    const [row] = await this.db.query<PersonRecordDbRow>(`SELECT ${PERSON_RECORD} FROM social_register.person p WHERE p.id = $1`, [id]);
    return row ? (await this.personRecords([row]))[0]! : null;
  }

  async householdMembers(
    householdId: string,
  ): Promise<{ katottg: string; members: { person_id: string; role: string; joined_on: string; left_on: string | null }[] } | null> {
    const [h] = await this.db.query<{ katottg: string }>(`SELECT katottg FROM social_register.household WHERE id = $1`, [householdId]);
    if (!h) return null;
    const members = await this.db.query<{ person_id: string; role: string; joined_on: string; left_on: string | null }>(
      `SELECT person_id, role, to_char(joined_on, 'YYYY-MM-DD') AS joined_on, to_char(left_on, 'YYYY-MM-DD') AS left_on FROM social_register.household_member WHERE household_id = $1 ORDER BY joined_on, id`,
      [householdId],
    );
    return { katottg: h.katottg, members };
  }

  async insertSubscription(s: Omit<SubscriptionRow, 'createdAt' | 'status'>): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO social_register.dci_subscription (code, sender_id, sender_uri, transaction_id, reference_id, reg_event_type, filter, notify_record_type, territory, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'subscribe') ON CONFLICT (sender_id, reference_id) DO NOTHING RETURNING code`,
      [
        s.code,
        s.senderId,
        s.senderUri,
        s.transactionId,
        s.referenceId,
        s.regEventType,
        JSON.stringify(s.filter),
        s.notifyRecordType,
        s.territory,
      ],
    );
    return rows.length > 0;
  }

  async sameSubscription(senderId: string, regEventType: string, filter: unknown): Promise<string | null> {
    const [row] = await this.db.query<{ code: string }>(
      `SELECT code FROM social_register.dci_subscription WHERE sender_id = $1 AND reg_event_type = $2 AND filter = $3::jsonb AND status = 'subscribe'`,
      [senderId, regEventType, JSON.stringify(filter)],
    );
    return row?.code ?? null;
  }

  async findSubscription(code: string): Promise<SubscriptionRow | null> {
    const [row] = await this.db.query<SubscriptionDbRow>(`SELECT * FROM social_register.dci_subscription WHERE code = $1 FOR UPDATE`, [
      code,
    ]);
    return row ? toSub(row) : null;
  }

  async unsubscribe(code: string): Promise<void> {
    await this.db.query(`UPDATE social_register.dci_subscription SET status = 'unsubscribe' WHERE code = $1`, [code]);
  }

  /** Active subscriptions per event type, read once per transaction (a consumer's batch of events shares one). */
  private readonly subscriptionsInTx = new WeakMap<object, Map<string, Promise<SubscriptionRow[]>>>();

  /**
   * The active subscriptions to an event type. Inside a transaction they are read once and reused by
   * the later calls of that transaction (the notify consumer applies a batch of events in one).
   */
  activeSubscriptions(regEventType: string): Promise<SubscriptionRow[]> {
    const tx = TransactionHost.ambientManager();
    if (!tx) return this.readActiveSubscriptions(regEventType);
    let memo = this.subscriptionsInTx.get(tx);
    if (!memo) this.subscriptionsInTx.set(tx, (memo = new Map()));
    let subs = memo.get(regEventType);
    if (!subs) {
      subs = this.readActiveSubscriptions(regEventType);
      memo.set(regEventType, subs);
      subs.catch(() => memo.delete(regEventType));
    }
    return subs;
  }

  private async readActiveSubscriptions(regEventType: string): Promise<SubscriptionRow[]> {
    const rows = await this.db.query<SubscriptionDbRow>(
      `SELECT * FROM social_register.dci_subscription WHERE reg_event_type = $1 AND status = 'subscribe' ORDER BY created_at`,
      [regEventType],
    );
    return rows.map(toSub);
  }

  /** Claims the delivery of one event to one subscription; false when it was already delivered. */
  async claimNotification(eventId: string, code: string): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO social_register.dci_notification (event_id, subscription_code, outcome) VALUES ($1, $2, 'pending') ON CONFLICT DO NOTHING RETURNING event_id`,
      [eventId, code],
    );
    return rows.length > 0;
  }

  async recordNotification(eventId: string, code: string, outcome: string, httpStatus: number | null): Promise<void> {
    await this.db.query(
      `UPDATE social_register.dci_notification SET outcome = $3, http_status = $4, sent_at = now() WHERE event_id = $1 AND subscription_code = $2`,
      [eventId, code, outcome, httpStatus],
    );
  }
}
