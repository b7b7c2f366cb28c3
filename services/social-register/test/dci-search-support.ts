import { kyivDate, withRnokppChecksum } from '@eisss/platform';
import type { ServiceApp } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import { DciSpec, describeErrors, type DciPath } from '../src/dci/dci-spec';
import type { TestClient } from './dci-support';

let seq = 0;
const salt = 1000 + (process.pid % 4000) + Math.floor(Math.random() * 4000);

/** A РНОКПП that encodes this birth date (days since 1899-12-31), unique within the run. */
export function rnokppFor(birthDate: string): string {
  seq++;
  const days = Math.round((Date.parse(`${birthDate}T00:00:00Z`) - Date.UTC(1899, 11, 31)) / 86_400_000);
  return withRnokppChecksum(`${String(days).padStart(5, '0')}${String((salt + seq * 7) % 10000).padStart(4, '0')}`);
}

/** The Kyiv date `years` years and `days` days before today (the query date of the register). */
export function bornYearsAgo(years: number, days = 0): string {
  const [y, m, d] = kyivDate(new Date()).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y - years, m - 1, d));
  if (date.getUTCMonth() !== m - 1) throw new Error('today is 29 February: the boundary fixtures need another day');
  return new Date(date.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A DCI caller: builds the spec's envelope, signs it as the client, checks the request against the
 * spec before sending it (the test's own requests must conform too) and the sync answer after.
 */
export function dciCaller(app: ServiceApp, client: TestClient, receiverId = 'social-register') {
  const spec = DciSpec.get();
  const header = (action: string, count: number, extra: Record<string, unknown> = {}) => ({
    version: '1.0.0',
    message_id: randomUUID(),
    message_ts: new Date().toISOString(),
    action,
    sender_id: client.senderId,
    receiver_id: receiverId,
    total_count: count,
    is_msg_encrypted: false,
    ...extra,
  });
  const item = (reference_id: string, query_type: string, query: unknown, extra: Record<string, unknown> = {}) => ({
    reference_id,
    timestamp: new Date().toISOString(),
    search_criteria: {
      version: '1.0.0',
      reg_type: 'ns:ua:RegistryType:Social',
      query_type,
      query,
      pagination: { page_size: 50, page_number: 1 },
      ...extra,
    },
    locale: 'ukr',
  });
  async function send(path: DciPath, body: { header: unknown; message: unknown }) {
    const signed = client.sign(body);
    const requestErrors = spec.validateRequest(path, signed);
    if (requestErrors.length > 0) throw new Error(`the test's request does not follow the spec: ${describeErrors(requestErrors)}`);
    return app.http().post(path).set('authorization', `Bearer ${client.token}`).send(signed);
  }
  /** A sync search: the answer checked against the spec (SearchResponse in the envelope of /registry/sync/search). */
  async function syncSearch(items: ReturnType<typeof item>[], transactionId = `txn-${randomUUID()}`) {
    const res = await send('/registry/sync/search', {
      header: header('search', items.length),
      message: { transaction_id: transactionId, search_request: items },
    });
    if (res.status !== 200) throw new Error(`sync search answered ${res.status}: ${JSON.stringify(res.body)}`);
    const errors = spec.validateSyncResponse('/registry/sync/search', res.body);
    if (errors.length > 0) throw new Error(`the answer does not follow the spec: ${describeErrors(errors)}`);
    return res.body as {
      header: Record<string, unknown>;
      message: { transaction_id: string; correlation_id: string; search_response: any[] };
    };
  }
  /** One sync search request: its search_response item. */
  async function searchOne(query_type: string, query: unknown, extra: Record<string, unknown> = {}) {
    const body = await syncSearch([item('r-1', query_type, query, extra)]);
    return body.message.search_response[0];
  }
  return { spec, header, item, send, syncSearch, searchOne };
}

/** `{ type: 'expression', value: { expression: { collection, query } } }` (SearchRequest.search_criteria.query, the spec's example shape). */
export const expression = (query: unknown, collection: 'Person' | 'Group' = 'Person') => ({
  type: 'ns:org:QueryType:expression',
  value: { expression: { collection, query } },
});
export const predicate = (attribute_name: string, operator: string, attribute_value: unknown) => ({
  attribute_name,
  operator,
  attribute_value,
});
