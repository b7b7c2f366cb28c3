import { AuditLog, Clock, Transactional, TransactionHost, findInputFault, type Principal } from '@eisss/platform';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { MAX_DEPTH } from './dci-input';
import { DciSpec, describeErrors, type DciPath } from './dci-spec';
import { attributesOf, parseQuery, type Condition } from './dci-query';
import { RECEIVER_ID, REG_TYPE, toSrGroup, toSrPerson } from './dci-records';
import { allowedAttributes, attributeBeyondPurpose } from './dci-purpose';
import { searchEntity, searchSort } from './dci-search';
import { assertDestination } from './dci-address';
import { DciClientRepository, type CallbackEndpoint, type DciAction, type DciClientRow } from './dci-clients.repository';
import { parsePublicKey, verifyEnvelope } from './dci-signature';
import { DciRegisterKey } from './dci.callback';
import { answerUrl, senderUriProblem } from './dci-callback-target';
import { NOTIFY_EVENT_TYPES } from './dci-events';
import { DciError, DciErrorCode, DciHeaderReason, DciRejection, DciRequestReason } from './dci.errors';
import { DciRepository, type DciTransactionRow } from './dci.repository';

/** Event types a sender may subscribe to: see dci-events.ts. */
export { NOTIFY_EVENT_TYPES, type NotifyEventType } from './dci-events';

export const MAX_BATCH = 100;
export const MAX_PAGE_SIZE = 500;
const CLOCK_SKEW_MS = 5 * 60 * 1000;

interface Header {
  version?: string;
  message_id: string;
  message_ts: string;
  action: string;
  sender_id: string;
  sender_uri?: string;
  receiver_id?: string;
  total_count: number;
  is_msg_encrypted?: boolean;
}

interface Envelope<M> {
  signature?: string;
  header: Header;
  message: M;
}

interface SearchItem {
  reference_id: string;
  timestamp: string;
  search_criteria: {
    reg_type?: string;
    reg_record_type?: string;
    query_type: string;
    query: unknown;
    response_entity?: string;
    sort?: { attribute_name?: string; sort_order?: 'asc' | 'desc' }[];
    pagination?: { page_size: number; page_number?: number };
    consent?: unknown;
    authorize?: unknown;
  };
  locale?: string;
}

interface SearchMessage {
  transaction_id: string;
  search_request: SearchItem[];
}

interface SubscribeItem {
  reference_id: string;
  timestamp: string;
  subscribe_criteria: { reg_type?: string; reg_event_type: string; filter_type?: string; filter: unknown; notify_record_type: string };
  locale?: string;
}

interface TxnStatusMessage {
  transaction_id: string;
  txnstatus_request: {
    reference_id: string;
    txn_type: 'search' | 'subscribe' | 'receipt';
    attribute_type: string;
    attribute_value: string | string[];
  };
}

type Ack = {
  message: { ack_status: 'ACK' | 'NACK' | 'ERR'; timestamp: string; correlation_id: string; error?: { code: string; message: string } };
};

export function ack(status: 'ACK' | 'NACK', correlationId: string, now: Date): Ack {
  return { message: { ack_status: status, timestamp: now.toISOString(), correlation_id: correlationId } };
}

export function errAck(code: string, message: string, now: Date, correlationId: string = randomUUID()): Ack {
  return {
    message: {
      ack_status: 'ERR',
      timestamp: now.toISOString(),
      correlation_id: correlationId,
      error: { code, message: message.slice(0, 999) },
    },
  };
}

/**
 * The purpose a subscription's notifications serve (subscribe_criteria.authorize.purpose.code, as a
 * search names it in consent/authorize; dci-purpose.ts): checked now against the client's purposes (a
 * purpose it does not have rejects the request with rjct.notify_details.invalid), kept with the
 * subscription, and applied to every notification by the client's purposes as they are then.
 */
function subscriptionPurpose(purposeAttributes: Record<string, string[]> | null, authorize: unknown): string | null {
  try {
    allowedAttributes(purposeAttributes, { authorize });
  } catch (err) {
    if (err instanceof DciRejection)
      throw new DciRejection(
        DciRequestReason.NOTIFY_DETAILS_INVALID,
        err.message
          .replace('search_criteria.consent.purpose.code', 'subscribe_criteria.authorize.purpose.code')
          .replace('of the search', 'of the subscription'),
      );
    throw err;
  }
  const code = (authorize as { purpose?: { code?: unknown } } | undefined)?.purpose?.code;
  return typeof code === 'string' ? code : null;
}

const RECORD_ID = /^urn:eisss:social-register:(person|household):([0-9a-f-]{36})$/;

/** The register ids of the persons and households in records (their `@id`s, at any depth). */
function recordSubjects(
  value: unknown,
  out: Record<'person' | 'household', Set<string>> = { person: new Set(), household: new Set() },
): Record<'person' | 'household', Set<string>> {
  if (Array.isArray(value)) for (const v of value) recordSubjects(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const m = k === '@id' && typeof v === 'string' ? RECORD_ID.exec(v) : null;
      if (m) out[m[1] as 'person' | 'household'].add(m[2]!);
      else recordSubjects(v, out);
    }
  }
  return out;
}

function callbackHeader(
  action: string,
  req: Header,
  status: 'succ' | 'rjct',
  counts: { total: number; completed: number },
  reason: { code: string; message: string } | undefined,
  now: Date,
) {
  return {
    version: '1.0.0',
    message_id: randomUUID(),
    message_ts: now.toISOString(),
    action,
    status,
    ...(reason ? { status_reason_code: reason.code, status_reason_message: reason.message } : {}),
    total_count: counts.total,
    completed_count: counts.completed,
    sender_id: RECEIVER_ID,
    receiver_id: req.sender_id,
    is_msg_encrypted: false,
  };
}

/**
 * The DCI Social Registry API of the register: sync and async search (idtype-value, expression,
 * predicate), subscribe/unsubscribe with notify callbacks, and transaction status. Requests are
 * validated against the DCI spec; answers use its envelope and its status and error codes.
 */
@Injectable()
export class DciService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('DciService');
  private readonly spec = DciSpec.get();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly repo: DciRepository,
    private readonly clients: DciClientRepository,
    private readonly registerKey: DciRegisterKey,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly transactions: TransactionHost,
  ) {}

  /** Answers async searches a previous process accepted (ACK) but did not get to answer. */
  onApplicationBootstrap(): void {
    this.later(async () => {
      for (const txn of await this.repo.claimStalledSearches(120)) {
        const client = await this.clients.bySender(txn.senderId);
        if (!client || !client.active)
          await this.repo.completeTransaction(
            txn.id,
            'rjct',
            null,
            `${DciErrorCode.SENDER_ID_INVALID}: the DCI client is not registered or not active`,
          );
        else await this.answerAsyncSearch(txn.principal, client, txn.request as unknown as Envelope<SearchMessage>, txn);
      }
    });
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  /** Background work after the answer (callbacks), awaited on shutdown. */
  private later(work: () => Promise<unknown>): void {
    const p = new Promise((r) => setImmediate(r))
      .then(work)
      .catch((err: unknown) => this.logger.error(`DCI background work failed: ${(err as Error).message}`))
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /**
   * Checks the envelope against the spec, the caller and the register of DCI clients; throws DciError
   * (answered with ERR). The sender must be a registered, active client allowed this action; its
   * request must carry a valid signature by its registered key (see dci-signature.ts for how the
   * signature covers {header}+{message}); an asynchronous request's sender_uri, when given, is the full
   * callback URL of its answer and must be under the client's registered address (dci-callback-target.ts);
   * without it the answer goes to the registered default. The destination must be public unless the
   * client may use a private one.
   */
  private async checkEnvelope<M>(
    path: DciPath,
    body: unknown,
    principal: Principal,
    action: DciAction,
    needsSenderUri: boolean,
  ): Promise<{ env: Envelope<M>; client: DciClientRow }> {
    // Before anything else (and before anything is stored): Postgres cannot hold such strings.
    // The platform's input check (the input guard runs it on every request; here with the DCI's own depth).
    const fault = findInputFault(body, MAX_DEPTH);
    if (fault?.reason === 'too_deep') throw new DciError(DciErrorCode.REQUEST_BAD, `the message is nested deeper than ${MAX_DEPTH} levels`);
    if (fault)
      throw new DciError(
        DciErrorCode.REQUEST_BAD,
        `${fault.field || '/'}: strings must be well-formed Unicode (no lone surrogates, no NUL)`,
      );
    const b = body as Partial<Envelope<Record<string, unknown>>> | null;
    if (b && typeof b === 'object' && b.header && typeof b.header === 'object') {
      const encrypted = b.header.is_msg_encrypted === true || (b.message && typeof b.message === 'object' && 'ciphertext' in b.message);
      if (encrypted)
        throw new DciError(
          DciErrorCode.ENCRYPTION_INVALID,
          'encrypted messages are not accepted by this registry; send the message in clear over TLS',
        );
      if (b.header.version !== undefined && b.header.version !== '1.0.0')
        throw new DciError(DciErrorCode.VERSION_NOT_SUPPORTED, `version ${String(b.header.version)} is not supported (1.0.0)`);
    }
    const errors = this.spec.validateRequest(path, body);
    if (errors.length > 0) throw new DciError(DciErrorCode.REQUEST_BAD, `request does not follow the DCI spec: ${describeErrors(errors)}`);
    const env = body as Envelope<M>;
    if (env.header.sender_id !== principal.id)
      throw new DciError(DciErrorCode.SENDER_ID_INVALID, 'header.sender_id does not match the authenticated system', 403);
    const client = await this.clients.bySender(env.header.sender_id);
    if (!client || !client.active)
      throw new DciError(
        DciErrorCode.SENDER_ID_INVALID,
        `${env.header.sender_id} is not a registered active DCI client of this registry`,
        403,
      );
    if (!client.allowedActions.includes(action))
      throw new DciError(DciErrorCode.REQUEST_FORBIDDEN, `the DCI client ${client.senderId} may not ${action}`, 403);
    if (env.signature === undefined || env.signature === '')
      throw new DciError(DciErrorCode.SIGNATURE_MISSING, 'the message must be signed by the sender (signature of {header}+{message})', 401);
    const why = verifyEnvelope(
      env,
      env.signature,
      { senderId: client.senderId, keyId: client.keyId, publicKey: parsePublicKey(client.publicKey) },
      this.clock.now(),
    );
    if (why) throw new DciError(DciErrorCode.SIGNATURE_INVALID, why, 401);
    if (env.header.receiver_id !== undefined && env.header.receiver_id !== RECEIVER_ID)
      throw new DciError(DciErrorCode.RECEIVER_ID_INVALID, `receiver_id must be ${RECEIVER_ID}`);
    if (needsSenderUri) {
      const given = env.header.sender_uri;
      if (given !== undefined) {
        const problem = senderUriProblem(client, given);
        if (problem) throw new DciError(DciErrorCode.SENDER_URI_INVALID, problem);
      }
      const destination = given ?? client.callbackUri;
      try {
        await assertDestination(destination, client.allowPrivateAddress);
      } catch (err) {
        throw new DciError(
          DciErrorCode.SENDER_URI_INVALID,
          `callbacks cannot go to ${new URL(destination).host}: ${(err as Error).message}`,
        );
      }
    }
    return { env, client };
  }

  /** A sender whose daily record quota is used up gets no search answered (ERR err.request.too_many_requests). */
  private async checkDailyQuota(client: DciClientRow): Promise<void> {
    if ((await this.clients.recordsToday(client.senderId, this.clock.now())) >= client.maxRecordsPerDay)
      throw new DciError(DciErrorCode.REQUEST_TOO_MANY, `the daily quota of ${client.maxRecordsPerDay} records is used up`, 429);
  }

  /**
   * Queues the answer of a request with the transaction's closing, in one database transaction: to the
   * request's header.sender_uri as given (accepted on receipt), else to the client's registered default
   * for the endpoint (dci-callback-target.ts).
   */
  @Transactional()
  private async answerLater(
    client: DciClientRow,
    txn: DciTransactionRow,
    endpoint: CallbackEndpoint,
    status: string,
    response: { header: unknown; message?: unknown },
  ): Promise<void> {
    await this.clients.completeTransaction(txn.id, status, response);
    const target = answerUrl(client, endpoint, (txn.request as { header?: { sender_uri?: string } } | null)?.header?.sender_uri);
    await this.clients.enqueueCallback({
      id: randomUUID(),
      senderId: client.senderId,
      endpoint,
      url: target.url,
      urlGiven: target.given,
      body: response,
      transactionId: txn.id,
    });
  }

  /**
   * Parses every query (filter) of the message before a transaction is written: a malformed value
   * (an impossible date) refuses the whole message with ERR; an unsupported criterion stays a
   * per-request rejection, answered in the response.
   */
  private precheckQueries(queries: { type: string; query: unknown; reason: DciRequestReason }[]): void {
    for (const q of queries) {
      try {
        parseQuery(q.type, q.query, q.reason);
      } catch (err) {
        if (!(err instanceof DciRejection)) throw err;
      }
    }
  }

  private precheckSearch(env: Envelope<SearchMessage>): void {
    this.precheckQueries(
      env.message.search_request.map((i) => ({
        type: i.search_criteria.query_type,
        query: i.search_criteria.query,
        reason: DciRequestReason.SEARCH_CRITERIA_INVALID,
      })),
    );
  }

  /** A transaction that could not be answered is closed (rjct, with the error), never left pending: its sender asks its status. */
  private async failTransaction(txn: DciTransactionRow, err: unknown): Promise<void> {
    const errorId = randomUUID();
    this.logger.error(`DCI ${txn.action} ${txn.id} failed (errorId ${errorId}): ${(err as Error)?.name ?? 'Error'}`);
    await this.repo.completeTransaction(
      txn.id,
      'rjct',
      null,
      err instanceof DciError ? `${err.code}: ${err.message}` : `internal error ${errorId}`,
    );
  }

  private async answerAsyncSearch(
    principal: Principal,
    client: DciClientRow,
    env: Envelope<SearchMessage>,
    txn: DciTransactionRow,
  ): Promise<void> {
    let response;
    try {
      response = await this.searchResponse(principal, client, env, txn.correlationId);
    } catch (err) {
      await this.failTransaction(txn, err);
      return;
    }
    await this.answerLater(client, txn, 'on-search', response.header.status, response);
  }

  /** A header-level reason to reject the whole message, or null. */
  private headerReason(h: Header, items: number): { code: DciHeaderReason; message: string } | null {
    if (Date.parse(h.message_ts) > this.clock.now().getTime() + CLOCK_SKEW_MS)
      return { code: DciHeaderReason.MESSAGE_TS_INVALID, message: 'message_ts is in the future' };
    if (items > MAX_BATCH)
      return { code: DciHeaderReason.TOTAL_COUNT_LIMIT_EXCEEDED, message: `at most ${MAX_BATCH} requests per message` };
    if (h.total_count !== items)
      return { code: DciHeaderReason.TOTAL_COUNT_INVALID, message: `total_count ${h.total_count} but ${items} request(s) in the message` };
    return null;
  }

  private async receive(
    env: Envelope<{ transaction_id: string }>,
    principal: Principal,
    action: string,
    referenceIds: string[],
    callbackUri: string | null,
  ): Promise<DciTransactionRow | null> {
    return this.repo.insertTransaction({
      id: randomUUID(),
      senderId: env.header.sender_id,
      messageId: env.header.message_id,
      transactionId: env.message.transaction_id,
      correlationId: randomUUID(),
      action,
      status: 'pdng',
      referenceIds,
      callbackUri,
      request: env as unknown as Record<string, unknown>,
      principal,
    });
  }

  // ── search ────────────────────────────────────────────────────────────────

  async syncSearch(principal: Principal, body: unknown) {
    const { env, client } = await this.checkEnvelope<SearchMessage>('/registry/sync/search', body, principal, 'search', false);
    this.precheckSearch(env);
    await this.checkDailyQuota(client);
    const txn = await this.receive(
      env,
      principal,
      'search',
      env.message.search_request.map((r) => r.reference_id),
      null,
    );
    if (!txn) {
      return {
        header: callbackHeader(
          'on-search',
          env.header,
          'rjct',
          { total: env.message.search_request.length, completed: 0 },
          { code: DciHeaderReason.MESSAGE_ID_DUPLICATE, message: 'message_id was already received' },
          this.clock.now(),
        ),
      };
    }
    let response;
    try {
      response = await this.searchResponse(principal, client, env, txn.correlationId);
    } catch (err) {
      await this.failTransaction(txn, err);
      throw err;
    }
    await this.repo.completeTransaction(txn.id, response.header.status, response);
    return this.registerKey.sign(response, this.clock.now());
  }

  async asyncSearch(principal: Principal, body: unknown): Promise<Ack> {
    const { env, client } = await this.checkEnvelope<SearchMessage>('/registry/search', body, principal, 'search', true);
    this.precheckSearch(env);
    await this.checkDailyQuota(client);
    const txn = await this.receive(
      env,
      principal,
      'search',
      env.message.search_request.map((r) => r.reference_id),
      client.callbackUri,
    );
    if (!txn) return ack('NACK', randomUUID(), this.clock.now());
    this.later(() => this.answerAsyncSearch(principal, client, env, txn));
    return ack('ACK', txn.correlationId, this.clock.now());
  }

  private async searchResponse(principal: Principal, client: DciClientRow, env: Envelope<SearchMessage>, correlationId: string) {
    const items = env.message.search_request;
    const reason = this.headerReason(env.header, items.length);
    if (reason)
      return { header: callbackHeader('on-search', env.header, 'rjct', { total: items.length, completed: 0 }, reason, this.clock.now()) };
    const seen = new Set<string>();
    const search_response = [];
    // Records this message may still return (the client's per-request quota), shared by its requests.
    const budget = { left: client.maxRecordsPerRequest };
    for (const item of items) {
      const duplicate = seen.has(item.reference_id);
      seen.add(item.reference_id);
      try {
        if (duplicate) throw new DciRejection(DciRequestReason.REFERENCE_ID_DUPLICATE, 'reference_id repeats within the message');
        search_response.push(await this.searchOne(principal, client, budget, item, env.message.transaction_id));
      } catch (err) {
        if (!(err instanceof DciRejection)) throw err;
        search_response.push({
          reference_id: item.reference_id,
          timestamp: this.clock.now().toISOString(),
          status: 'rjct',
          status_reason_code: err.reason,
          status_reason_message: err.message.slice(0, 999),
        });
      }
    }
    return {
      header: callbackHeader(
        'on-search',
        env.header,
        'succ',
        { total: items.length, completed: items.length },
        undefined,
        this.clock.now(),
      ),
      message: { transaction_id: env.message.transaction_id, correlation_id: correlationId, search_response },
    };
  }

  /**
   * One search request. Quotas: a page is cut to what the message may still return (per-request
   * quota) and to what is left of the day (daily quota, reserved atomically, the unused part given
   * back); pagination then reports the page size served. Nothing left: rjct.search.too_many_records_found.
   */
  private async searchOne(principal: Principal, client: DciClientRow, budget: { left: number }, item: SearchItem, transactionId: string) {
    if (Date.parse(item.timestamp) > this.clock.now().getTime() + CLOCK_SKEW_MS)
      throw new DciRejection(DciRequestReason.TIMESTAMP_INVALID, 'timestamp is in the future');
    const c = item.search_criteria;
    if (!client.allowedQueryTypes.includes(c.query_type))
      throw new DciRejection(
        DciRequestReason.SEARCH_CRITERIA_INVALID,
        `query_type ${c.query_type} is not allowed for this client (${client.allowedQueryTypes.join(', ')})`,
      );
    const entity = searchEntity(c);
    const conditions = parseQuery(c.query_type, c.query);
    const allowed = allowedAttributes(client.purposeAttributes, c);
    // Identifying a known person (idtype-value) is the request itself; conditions may use only what the purpose may see.
    const beyond = c.query_type === 'idtype-value' ? null : attributeBeyondPurpose(attributesOf(conditions), allowed);
    if (beyond)
      throw new DciRejection(DciRequestReason.SEARCH_CRITERIA_INVALID, `the purpose of this search does not allow conditions on ${beyond}`);
    const sort = searchSort(entity, c.sort);
    // SearchRequest.search_criteria.pagination: page_number counts from 1 (default 1); a page longer than MAX_PAGE_SIZE is served at MAX_PAGE_SIZE.
    const pageSize = c.pagination?.page_size ?? 100;
    const pageNumber = c.pagination?.page_number ?? 1;
    if (!Number.isInteger(pageSize) || pageSize < 1 || !Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > 1_000_000) {
      throw new DciRejection(
        DciRequestReason.PAGINATION_INVALID,
        `page_size ≥ 1 (served up to ${MAX_PAGE_SIZE}) and page_number 1…1000000, integers`,
      );
    }
    const servedSize = Math.min(pageSize, MAX_PAGE_SIZE, client.maxRecordsPerRequest);
    const wanted = Math.min(servedSize, budget.left);
    if (wanted <= 0)
      throw new DciRejection(
        DciRequestReason.TOO_MANY_RECORDS,
        `the message already returns the client's ${client.maxRecordsPerRequest} records per request`,
      );
    const granted = await this.clients.reserveRecords(client.senderId, wanted, client.maxRecordsPerDay, this.clock.now());
    if (granted <= 0)
      throw new DciRejection(
        DciRequestReason.TOO_MANY_RECORDS,
        `the client's daily quota of ${client.maxRecordsPerDay} records is used up`,
      );
    const offset = (pageNumber - 1) * servedSize;
    const today = this.clock.today();
    let found: { records: Record<string, unknown>[]; personIds: string[]; groupIds: string[]; total: number };
    try {
      if (entity === 'group') {
        const { rows, total } = await this.repo.searchGroups(principal.territory, conditions, sort, granted, offset, today);
        found = {
          records: rows.map((g) => toSrGroup(g, allowed)),
          personIds: rows.flatMap((g) => g.members.map((m) => m.person.id)),
          groupIds: rows.map((g) => g.id),
          total,
        };
      } else {
        const { rows, total } = await this.repo.searchPersons(principal.territory, conditions, sort, granted, offset, today);
        found = { records: rows.map((p) => toSrPerson(p, allowed)), personIds: rows.map((p) => p.id), groupIds: [], total };
      }
    } catch (err) {
      await this.clients.releaseRecords(client.senderId, granted, this.clock.now());
      throw err;
    }
    const { records, total } = found;
    await this.clients.releaseRecords(client.senderId, granted - records.length, this.clock.now());
    budget.left -= records.length;
    await this.transactions.run(async () => {
      if (found.personIds.length > 0 || entity === 'person')
        await this.audit.recordRead(principal, 'person', found.personIds, `DCI search ${transactionId}`);
      if (found.groupIds.length > 0) await this.audit.recordRead(principal, 'household', found.groupIds, `DCI search ${transactionId}`);
    });
    return {
      reference_id: item.reference_id,
      timestamp: this.clock.now().toISOString(),
      status: 'succ',
      data: { version: '1.0.0', reg_type: REG_TYPE, reg_record_type: entity === 'group' ? 'SRGroup' : 'SRPerson', reg_records: records },
      // SearchResponse.search_response[].pagination: the page served and the total of matches.
      pagination: { page_size: servedSize, page_number: pageNumber, total_count: total },
      locale: item.locale ?? 'ukr',
    };
  }

  // ── subscribe / unsubscribe ───────────────────────────────────────────────

  async subscribe(principal: Principal, body: unknown): Promise<Ack> {
    const { env, client } = await this.checkEnvelope<{ transaction_id: string; subscribe_request: SubscribeItem[] }>(
      '/registry/subscribe',
      body,
      principal,
      'subscribe',
      true,
    );
    const items = env.message.subscribe_request;
    this.precheckQueries(
      items.map((i) => ({
        type: i.subscribe_criteria.filter_type ?? 'expression',
        query: i.subscribe_criteria.filter,
        reason: DciRequestReason.NOTIFY_DETAILS_INVALID,
      })),
    );
    const result = await this.transactions.run(async () => {
      const txn = await this.repo.insertTransaction({
        id: randomUUID(),
        senderId: env.header.sender_id,
        messageId: env.header.message_id,
        transactionId: env.message.transaction_id,
        correlationId: randomUUID(),
        action: 'subscribe',
        status: 'pdng',
        referenceIds: items.map((i) => i.reference_id),
        callbackUri: answerUrl(client, 'on-subscribe', env.header.sender_uri).url,
        request: env as unknown as Record<string, unknown>,
        principal,
      });
      if (!txn) return null;
      const reason = this.headerReason(env.header, items.length);
      if (reason) {
        const response = {
          header: callbackHeader('on-subscribe', env.header, 'rjct', { total: items.length, completed: 0 }, reason, this.clock.now()),
        };
        await this.answerLater(client, txn, 'on-subscribe', 'rjct', response);
        return { txn, response };
      }
      const subscribe_response = [];
      for (const item of items) {
        const now = this.clock.now().toISOString();
        try {
          const sc = item.subscribe_criteria;
          if (!(NOTIFY_EVENT_TYPES as readonly string[]).includes(sc.reg_event_type))
            throw new DciRejection(DciRequestReason.NOTIFY_TYPES_INVALID, `reg_event_type must be one of ${NOTIFY_EVENT_TYPES.join(', ')}`);
          const conditions: Condition[] = parseQuery(sc.filter_type ?? 'expression', sc.filter, DciRequestReason.NOTIFY_DETAILS_INVALID);
          const purpose = subscriptionPurpose(client.purposeAttributes, (sc as { authorize?: unknown }).authorize);
          // A filter may use only what the subscription's purpose may see (else notifications would reveal it).
          const beyond = attributeBeyondPurpose(
            attributesOf(conditions),
            allowedAttributes(client.purposeAttributes, { authorize: (sc as { authorize?: unknown }).authorize }),
          );
          if (beyond)
            throw new DciRejection(
              DciRequestReason.NOTIFY_DETAILS_INVALID,
              `the purpose of this subscription does not allow a filter on ${beyond}`,
            );
          const filter = purpose ? { conditions, purpose } : { conditions };
          if (await this.repo.sameSubscription(env.header.sender_id, sc.reg_event_type, filter))
            throw new DciRejection(DciRequestReason.EVENT_ALREADY_SUBSCRIBED, 'the same subscription is active');
          const code = randomUUID();
          const inserted = await this.repo.insertSubscription({
            code,
            senderId: env.header.sender_id,
            senderUri: client.callbackUri,
            transactionId: env.message.transaction_id,
            referenceId: item.reference_id,
            regEventType: sc.reg_event_type,
            filter,
            notifyRecordType: sc.notify_record_type,
            territory: principal.territory,
          });
          if (!inserted) throw new DciRejection(DciRequestReason.REFERENCE_ID_DUPLICATE, 'reference_id was already used by this sender');
          subscribe_response.push({
            reference_id: item.reference_id,
            timestamp: now,
            status: 'succ',
            subscriptions: [
              {
                code,
                status: 'subscribe',
                timestamp: now,
                reg_type: sc.reg_type ?? REG_TYPE,
                reg_event_type: sc.reg_event_type,
                filter_type: sc.filter_type ?? 'expression',
                filter: sc.filter,
                notify_record_type: sc.notify_record_type,
              },
            ],
          });
        } catch (err) {
          if (!(err instanceof DciRejection)) throw err;
          subscribe_response.push({
            reference_id: item.reference_id,
            timestamp: now,
            status: 'rjct',
            status_reason_code: err.reason,
            status_reason_message: err.message.slice(0, 999),
          });
        }
      }
      const response = {
        header: callbackHeader(
          'on-subscribe',
          env.header,
          'succ',
          { total: items.length, completed: items.length },
          undefined,
          this.clock.now(),
        ),
        message: { transaction_id: env.message.transaction_id, correlation_id: txn.correlationId, subscribe_response },
      };
      await this.answerLater(client, txn, 'on-subscribe', 'succ', response);
      return { txn, response };
    });
    if (!result) return ack('NACK', randomUUID(), this.clock.now());
    return ack('ACK', result.txn.correlationId, this.clock.now());
  }

  async unsubscribe(principal: Principal, body: unknown): Promise<Ack> {
    const { env, client } = await this.checkEnvelope<{ transaction_id: string; timestamp: string; subscription_codes: string[] }>(
      '/registry/unsubscribe',
      body,
      principal,
      'subscribe',
      true,
    );
    const result = await this.transactions.run(async () => {
      const txn = await this.repo.insertTransaction({
        id: randomUUID(),
        senderId: env.header.sender_id,
        messageId: env.header.message_id,
        transactionId: env.message.transaction_id,
        correlationId: randomUUID(),
        action: 'unsubscribe',
        status: 'pdng',
        referenceIds: [],
        callbackUri: answerUrl(client, 'on-unsubscribe', env.header.sender_uri).url,
        request: env as unknown as Record<string, unknown>,
        principal,
      });
      if (!txn) return null;
      const subscription_status: { code: string; status: 'subscribe' | 'unsubscribe' }[] = [];
      let rejection: { code: DciRequestReason; message: string } | null = null;
      for (const code of env.message.subscription_codes) {
        const s = await this.repo.findSubscription(code);
        if (!s || s.senderId !== env.header.sender_id) {
          rejection ??= { code: DciRequestReason.SUBSCRIPTION_CODE_INVALID, message: `subscription ${code} is not known for this sender` };
          continue;
        }
        if (s.status === 'unsubscribe')
          rejection ??= { code: DciRequestReason.EVENT_ALREADY_UNSUBSCRIBED, message: `subscription ${code} was already ended` };
        else await this.repo.unsubscribe(code);
        subscription_status.push({ code, status: 'unsubscribe' });
      }
      const response = {
        header: callbackHeader(
          'on-unsubscribe',
          env.header,
          'succ',
          { total: env.message.subscription_codes.length, completed: env.message.subscription_codes.length },
          undefined,
          this.clock.now(),
        ),
        message: {
          transaction_id: env.message.transaction_id,
          correlation_id: txn.correlationId,
          timestamp: this.clock.now().toISOString(),
          status: rejection ? 'rjct' : 'succ',
          ...(rejection ? { status_reason_code: rejection.code, status_reason_message: rejection.message } : {}),
          subscription_status,
        },
      };
      await this.answerLater(client, txn, 'on-unsubscribe', 'succ', response);
      return { txn, response };
    });
    if (!result) return ack('NACK', randomUUID(), this.clock.now());
    return ack('ACK', result.txn.correlationId, this.clock.now());
  }

  // ── transaction status ────────────────────────────────────────────────────

  /**
   * The status of the transaction a txn-status request asks about (TxnStatusResponse: txn_status with
   * the stored search_response, or the subscribe_response items as search_response items), in the
   * envelope of /registry/txn/on-status — the same as the default response of /registry/sync/txn/status.
   * A transaction this sender never sent (or of another txn_type) is answered with the envelope and a
   * rejected header (status rjct and status_reason_message; MsgHeaderStatusReasonCode has no code for
   * it, so none is given) and no message, never with another shape.
   */
  private async txnStatusResponse(
    env: Envelope<TxnStatusMessage>,
  ): Promise<{ header: Record<string, unknown> & { status: 'succ' | 'rjct' }; message?: unknown }> {
    const q = env.message.txnstatus_request;
    const found = (await this.repo.findTransactions(env.header.sender_id, q.attribute_type, q.attribute_value)).filter(
      (t) => t.action === q.txn_type,
    );
    const txn = found[found.length - 1];
    if (!txn) {
      return {
        header: {
          ...callbackHeader('txn-on-status', env.header, 'rjct', { total: 1, completed: 1 }, undefined, this.clock.now()),
          status_reason_message: `no ${q.txn_type} transaction of this sender with this ${q.attribute_type}`,
        },
      };
    }
    const stored = txn.response as {
      message?: {
        search_response?: unknown[];
        subscribe_response?: {
          reference_id: string;
          timestamp: string;
          status: string;
          status_reason_code?: string;
          status_reason_message?: string;
        }[];
      };
    } | null;
    const pending = txn.referenceIds.map((r) => ({ reference_id: r, timestamp: txn.createdAt, status: txn.status }));
    let search_response: unknown[];
    if (txn.action === 'search') search_response = stored?.message?.search_response ?? pending;
    else
      search_response =
        stored?.message?.subscribe_response?.map((s) => ({
          reference_id: s.reference_id,
          timestamp: s.timestamp,
          status: s.status,
          // SubscribeStatusReasonCode is not a SearchStatusReasonCode: the code goes into the message.
          ...(s.status_reason_code
            ? {
                status_reason_message: `${s.status_reason_code}${s.status_reason_message ? `: ${s.status_reason_message}` : ''}`.slice(
                  0,
                  999,
                ),
              }
            : {}),
        })) ?? pending;
    return {
      header: callbackHeader('txn-on-status', env.header, 'succ', { total: 1, completed: 1 }, undefined, this.clock.now()),
      message: {
        transaction_id: env.message.transaction_id,
        correlation_id: txn.correlationId,
        txnstatus_response: {
          txn_type: q.txn_type,
          txn_status: { transaction_id: txn.transactionId, correlation_id: txn.correlationId, search_response },
        },
      },
    };
  }

  /**
   * A txn-status answer hands out again the records a search returned: each person and household in
   * it (by the register id in its `@id`) is audited as read, like the search itself.
   */
  @Transactional()
  private async recordStatusReads(principal: Principal, response: { message?: unknown }, transactionId: string): Promise<void> {
    const subjects = recordSubjects(response.message);
    for (const [type, ids] of Object.entries(subjects))
      if (ids.size > 0) await this.audit.recordRead(principal, type, [...ids], `DCI txn-status ${transactionId}`);
  }

  /** POST /registry/sync/txn/status: the status now, signed (an unknown transaction: the envelope with a rejected header). */
  async txnStatus(principal: Principal, body: unknown) {
    const { env } = await this.checkEnvelope<TxnStatusMessage>('/registry/sync/txn/status', body, principal, 'txn-status', false);
    const response = await this.txnStatusResponse(env);
    await this.recordStatusReads(principal, response, env.message.transaction_id);
    return this.registerKey.sign(response, this.clock.now());
  }

  /**
   * POST /registry/txn/status: ACK now (NACK for a message_id already received), the same answer as
   * the sync one later to /registry/txn/on-status (header.sender_uri as given, else the registered default).
   */
  async asyncTxnStatus(principal: Principal, body: unknown): Promise<Ack> {
    const { env, client } = await this.checkEnvelope<TxnStatusMessage>('/registry/txn/status', body, principal, 'txn-status', true);
    const response = await this.txnStatusResponse(env);
    const txn = await this.transactions.run(async () => {
      const t = await this.repo.insertTransaction({
        id: randomUUID(),
        senderId: env.header.sender_id,
        messageId: env.header.message_id,
        transactionId: env.message.transaction_id,
        correlationId: randomUUID(),
        action: 'txn-status',
        status: 'pdng',
        referenceIds: [env.message.txnstatus_request.reference_id],
        callbackUri: answerUrl(client, 'on-status', env.header.sender_uri).url,
        request: env as unknown as Record<string, unknown>,
        principal,
      });
      if (!t) return null;
      await this.recordStatusReads(principal, response, env.message.transaction_id);
      await this.answerLater(client, t, 'on-status', response.header.status, response);
      return t;
    });
    if (!txn) return ack('NACK', randomUUID(), this.clock.now());
    return ack('ACK', txn.correlationId, this.clock.now());
  }
}
