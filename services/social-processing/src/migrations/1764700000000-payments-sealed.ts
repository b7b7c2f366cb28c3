import { ApplicationPaymentAccountProposedV2, AssignmentEvents, type EventContract } from '@eisss/contracts';
import { payloadProblems, sealAccount, sealPayee, sealProposal, sealRecipientFromConfig, type SealingRecipient } from '@eisss/platform';
import { randomBytes } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = 'social_processing';
const BATCH = 500;

type Json = Record<string, any>;

/** What the conversion seals with: the treasury and the register as recipients, the key of the references. */
export interface SealingForMigration {
  treasury: SealingRecipient;
  register: SealingRecipient;
  refKey: Buffer;
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
/** A bank account in the plain form (`{ method: 'bank', iban }`). */
const isPlainBank = (a: unknown): a is { method: 'bank'; iban: string } => isObject(a) && a.method === 'bank' && typeof a.iban === 'string';
/** A holder in the plain form (`{ fullName, rnokpp, documentNumber }`), not yet sealed. */
const isPlainPayee = (p: unknown): p is { fullName: string; rnokpp?: string | null; documentNumber?: string | null } =>
  isObject(p) && typeof p.identitySealed !== 'string';

/** An account as the register publishes it (sealed for the treasury); one already sealed, a post account or null stays as it is. */
export async function sealStoredAccount(k: SealingForMigration, a: unknown): Promise<unknown> {
  return isPlainBank(a) ? sealAccount(k.treasury, k.refKey, { method: 'bank', iban: a.iban }) : a;
}

/** A holder as the register publishes them (identifiers sealed for the treasury); one already sealed or null stays as it is. */
export async function sealStoredPayee(k: SealingForMigration, p: unknown): Promise<unknown> {
  return isPlainPayee(p)
    ? sealPayee(k.treasury, k.refKey, { fullName: p.fullName, rnokpp: p.rnokpp ?? null, documentNumber: p.documentNumber ?? null })
    : p;
}

/** An application's proposed account (sealed for the register); one already sealed, a post account or null stays as it is. */
export async function sealStoredProposal(k: SealingForMigration, a: unknown): Promise<unknown> {
  return isPlainBank(a) ? sealProposal(k.register, { method: 'bank', iban: a.iban }) : a;
}

/** An assignment snapshot (assignment_version.snapshot, the payload of an assignment event) with its account and holder sealed. */
export async function sealSnapshot(k: SealingForMigration, snapshot: unknown): Promise<unknown> {
  if (!isObject(snapshot)) return snapshot;
  return {
    ...snapshot,
    payment: await sealStoredAccount(k, snapshot.payment ?? null),
    payee: await sealStoredPayee(k, snapshot.payee ?? null),
  };
}

/** The recipients from configuration (development keys outside production) and a key of references for this run. */
export function sealingFromEnv(env: NodeJS.ProcessEnv = process.env): SealingForMigration {
  return {
    treasury: sealRecipientFromConfig('SEAL_FOR_TREASURY', env.SEAL_FOR_TREASURY, 'payments-treasury', env.NODE_ENV),
    register: sealRecipientFromConfig('SEAL_FOR_REGISTER', env.SEAL_FOR_REGISTER, 'social-register', env.NODE_ENV),
    refKey: randomBytes(32),
  };
}

/**
 * Rewrites, in batches of BATCH ordered by `key`, the rows of `table` that `needs` selects, with `convert`
 * giving the new values of `columns` (jsonb). Keyset pagination: a row `convert` leaves as it was is not
 * read again.
 */
async function rewrite(
  q: QueryRunner,
  table: string,
  key: string[],
  columns: string[],
  needs: string,
  convert: (row: Json) => Promise<unknown[]>,
): Promise<number> {
  let last: unknown[] | null = null;
  let n = 0;
  const keyList = key.join(', ');
  for (;;) {
    const after = last ? `AND (${keyList}) > (${key.map((_, i) => `$${i + 1}`).join(', ')})` : '';
    const rows: Json[] = await q.query(
      `SELECT ${keyList}, ${columns.join(', ')} FROM ${S}.${table} WHERE (${needs}) ${after} ORDER BY ${keyList} LIMIT ${BATCH}`,
      last ?? [],
    );
    if (rows.length === 0) break;
    for (const r of rows) {
      const values = await convert(r);
      const sets = columns.map((c, i) => `${c} = $${key.length + i + 1}`);
      await q.query(`UPDATE ${S}.${table} SET ${sets.join(', ')} WHERE ${key.map((k, i) => `${k} = $${i + 1}`).join(' AND ')}`, [
        ...key.map((k) => r[k]),
        ...values.map((v) => (v === null || v === undefined ? null : JSON.stringify(v))),
      ]);
      n++;
    }
    last = key.map((k) => rows[rows.length - 1]![k]);
  }
  return n;
}

/** jsonb `col` holds a plain bank account (an `iban` member). */
const plainAccountSql = (col: string) => `(jsonb_typeof(${col}) = 'object' AND ${col} ? 'iban')`;
/** jsonb `col` holds a holder not yet sealed. */
const plainPayeeSql = (col: string) => `(jsonb_typeof(${col}) = 'object' AND NOT ${col} ? 'identitySealed')`;

const ASSIGNMENT_EVENT_TYPES = new Map<string, EventContract>(AssignmentEvents.map((c) => [c.eventType, c]));

/**
 * Processing never holds a plain IBAN or РНОКПП (issue 10, item 4): the rows written before events carried
 * accounts sealed are converted.
 *
 * - `application.payment` (an IBAN typed into an application): sealed for the register (SEAL_FOR_REGISTER),
 *   as the application would now store it.
 * - `person_payment_account.account/holder`, `assignment.payment/payee`, the snapshots in
 *   `assignment_version.snapshot`: sealed for the treasury (SEAL_FOR_TREASURY), as the register now publishes
 *   them, with references (`accountRef`, `identityRef`) computed with a random key generated for this run
 *   (consistent within it; processing does not hold the register's key). The register's references differ,
 *   so the next PersonPaymentAccountChangedV2 for such a person does not match the stored account and gives
 *   each of their open assignments one extra version (ACCOUNT_CHANGED) carrying the register's values: harmless
 *   (the account is the same, the treasury pays the same).
 * - The outbox (events of version 1 carrying plain values): their payloads are sealed alike; those not yet
 *   published become version 2 on the version-2 topic (version 1 is retired), those published stay a record
 *   of what was sent, with the values sealed.
 *
 * Both keys are read from the environment (sealRecipientFromConfig: development keys outside production,
 * required in production). The row versions from before stay in the table files until rewritten, and in
 * WAL and backups: run `VACUUM FULL` on these tables afterwards and expire older backups (as for the
 * register's conversion). Down leaves the values sealed: processing cannot open them (and must never
 * hold them in the clear again); the migration only converts rows still in the plain form, so running
 * it again after a down changes nothing.
 */
export class PaymentsSealed1764700000000 implements MigrationInterface {
  name = 'PaymentsSealed1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await convertStoredPayments(q, sealingFromEnv());
  }

  async down(): Promise<void> {
    // Nothing to undo that processing may undo: the sealed values stay sealed.
  }
}

/** The conversion itself (exported for tests); returns how many rows of each table it rewrote. */
export async function convertStoredPayments(q: QueryRunner, k: SealingForMigration): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  out.application = await rewrite(q, 'application', ['id'], ['payment'], plainAccountSql('payment'), async (r) => [
    await sealStoredProposal(k, r.payment),
  ]);
  out.person_payment_account = await rewrite(
    q,
    'person_payment_account',
    ['person_id'],
    ['account', 'holder'],
    `${plainAccountSql('account')} OR ${plainPayeeSql('holder')}`,
    async (r) => [await sealStoredAccount(k, r.account), await sealStoredPayee(k, r.holder)],
  );
  out.assignment = await rewrite(
    q,
    'assignment',
    ['id'],
    ['payment', 'payee'],
    `${plainAccountSql('payment')} OR ${plainPayeeSql('payee')}`,
    async (r) => [await sealStoredAccount(k, r.payment), await sealStoredPayee(k, r.payee)],
  );
  out.assignment_version = await rewrite(
    q,
    'assignment_version',
    ['assignment_id', 'version'],
    ['snapshot'],
    `${plainAccountSql("snapshot->'payment'")} OR ${plainPayeeSql("snapshot->'payee'")}`,
    async (r) => [await sealSnapshot(k, r.snapshot)],
  );
  out.outbox = await convertOutbox(q, k);
  return out;
}

async function convertOutbox(q: QueryRunner, k: SealingForMigration): Promise<number> {
  const proposal = ApplicationPaymentAccountProposedV2.eventType;
  const types = [...ASSIGNMENT_EVENT_TYPES.keys(), proposal];
  let last = 0;
  let n = 0;
  for (;;) {
    const rows: { seq: string; envelope: Json; published: boolean }[] = await q.query(
      `SELECT seq::text AS seq, envelope, published_at IS NOT NULL AS published FROM ${S}.outbox
        WHERE seq > $1 AND envelope->>'eventType' = ANY($2::text[]) AND (envelope->>'eventVersion')::int < 2
        ORDER BY seq LIMIT ${BATCH}`,
      [last, types],
    );
    if (rows.length === 0) break;
    for (const r of rows) {
      const env = r.envelope;
      const contract = env.eventType === proposal ? ApplicationPaymentAccountProposedV2 : ASSIGNMENT_EVENT_TYPES.get(env.eventType)!;
      const payload = isObject(env.payload) ? { ...env.payload } : env.payload;
      if (isObject(payload)) {
        if (contract === ApplicationPaymentAccountProposedV2) payload.account = await sealStoredProposal(k, payload.account);
        else payload.assignment = await sealSnapshot(k, payload.assignment);
      }
      if (r.published) {
        await q.query(`UPDATE ${S}.outbox SET envelope = $2 WHERE seq = $1`, [r.seq, JSON.stringify({ ...env, payload })]);
      } else {
        // Not yet sent: it goes out as version 2 (version 1, which carried plain values, is retired).
        const problems = payloadProblems(contract, payload);
        if (problems)
          throw new Error(
            `outbox event ${env.eventId} (${env.eventType} v${env.eventVersion}) does not convert to v${contract.eventVersion}: ${problems}`,
          );
        await q.query(`UPDATE ${S}.outbox SET envelope = $2, topic = $3 WHERE seq = $1`, [
          r.seq,
          JSON.stringify({ ...env, eventVersion: contract.eventVersion, payload }),
          contract.topic,
        ]);
      }
      n++;
    }
    last = Number(rows[rows.length - 1]!.seq);
  }
  return n;
}
