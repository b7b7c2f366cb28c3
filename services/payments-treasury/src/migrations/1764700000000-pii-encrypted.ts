import {
  ensureActiveDataKey,
  loadFieldCipher,
  piiDataKeyDeactivatedAtUp,
  piiDataKeyTableDown,
  piiDataKeyTableUp,
  piiKeysFromConfig,
  runStatements,
  typeormSql,
  type FieldCipher,
} from '@eisss/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PiiField, TREASURY_SCHEMA as S, accountColumns } from '../pii/treasury-pii';

const BATCH = 1000;

async function cipherOf(q: QueryRunner): Promise<FieldCipher> {
  const { wrapper, hmacKey } = piiKeysFromConfig(process.env);
  const sql = typeormSql(q);
  await ensureActiveDataKey(sql, S, wrapper);
  return loadFieldCipher(sql, S, wrapper, hmacKey);
}

/** The converted tables: `assignment` (with its hash of the IBAN, for a changed account) and `payment`. */
const TABLES = [
  { table: 'assignment', key: 'assignment_id', hash: true },
  { table: 'payment', key: 'id', hash: false },
] as const;

/** Walks a table in key order, `BATCH` rows at a time, passing each batch to `fn` (one UPDATE per batch). */
async function inBatches(
  q: QueryRunner,
  table: string,
  key: string,
  columns: string,
  where: string,
  fn: (rows: Record<string, any>[]) => Promise<void>,
): Promise<void> {
  let last = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows: Record<string, any>[] = await q.query(
      `SELECT ${key} AS k, ${columns} FROM ${S}.${table} WHERE ${key} > $1 AND (${where}) ORDER BY ${key} LIMIT ${BATCH}`,
      [last],
    );
    if (rows.length === 0) return;
    await fn(rows);
    last = rows[rows.length - 1]!.k;
  }
}

/**
 * The IBAN, the payee's РНОКПП and document number encrypted at rest (issue 10, item 4): on
 * `assignment` and `payment` the plain columns become `<field>_enc` ciphertexts under the treasury's
 * data key (payments_treasury.pii_data_key, created here, wrapped by the first master key of
 * PII_MASTER_KEYS), with `iban_masked` for views and, on `assignment`, `iban_hash` (HMAC,
 * PII_HMAC_KEY) to detect a changed account. The bank code `mfo` (IBAN characters 5–10, not personal)
 * is kept on both, so that payments are grouped per bank without the IBAN. `awaiting_account` holds
 * only ids. Existing rows are converted in batches; down decrypts them back.
 *
 * Each converted row is written with its plain columns set to NULL in the same UPDATE before the
 * columns are dropped. Row versions from before stay in the table files until rewritten, and in WAL
 * and backups: after this migration run `VACUUM FULL payments_treasury.assignment, payments_treasury.payment`
 * (outside the migration: it locks each table exclusively), and expire the backups taken before it.
 */
export class TreasuryPiiEncrypted1764700000000 implements MigrationInterface {
  name = 'TreasuryPiiEncrypted1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await runStatements(q, [...piiDataKeyTableUp(S), ...piiDataKeyDeactivatedAtUp(S)]);
    const cipher = await cipherOf(q);
    await runStatements(q, [
      `ALTER TABLE ${S}.assignment ADD COLUMN iban_enc text, ADD COLUMN iban_masked text, ADD COLUMN iban_hash text, ADD COLUMN mfo char(6),
         ADD COLUMN payee_rnokpp_enc text, ADD COLUMN payee_document_number_enc text`,
      `ALTER TABLE ${S}.payment ADD COLUMN iban_enc text, ADD COLUMN iban_masked text, ADD COLUMN payee_rnokpp_enc text, ADD COLUMN payee_document_number_enc text`,
    ]);
    for (const t of TABLES) {
      await inBatches(
        q,
        t.table,
        t.key,
        'iban, payee_rnokpp, payee_document_number',
        'iban IS NOT NULL OR payee_rnokpp IS NOT NULL OR payee_document_number IS NOT NULL',
        async (rows) => {
          const cols = rows.map((r) =>
            accountColumns(cipher, { iban: r.iban?.trim() || null, rnokpp: r.payee_rnokpp, documentNumber: r.payee_document_number }),
          );
          // The plain columns are emptied in the same UPDATE: DROP COLUMN does not rewrite the rows.
          await q.query(
            `UPDATE ${S}.${t.table} x SET iban_enc = v.iban_enc, iban_masked = v.iban_masked, ${t.hash ? 'iban_hash = v.iban_hash, ' : ''}mfo = COALESCE(v.mfo, x.mfo),
                  payee_rnokpp_enc = v.rnokpp_enc, payee_document_number_enc = v.doc_enc, iban = NULL, payee_rnokpp = NULL, payee_document_number = NULL
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS v(k, iban_enc, iban_masked, iban_hash, mfo, rnokpp_enc, doc_enc)
           WHERE x.${t.key} = v.k`,
            [
              rows.map((r) => r.k),
              ...(['iban_enc', 'iban_masked', 'iban_hash', 'mfo', 'payee_rnokpp_enc', 'payee_document_number_enc'] as const).map((c) =>
                cols.map((x) => x[c]),
              ),
            ],
          );
        },
      );
    }
    const encrypted = (t: string) =>
      `ALTER TABLE ${S}.${t} ADD CONSTRAINT ${t}_pii_encrypted CHECK (${['iban', 'payee_rnokpp', 'payee_document_number'].map((f) => `(${f}_enc IS NULL OR ${f}_enc LIKE 'v1:%')`).join(' AND ')})`;
    await runStatements(q, [
      `ALTER TABLE ${S}.assignment DROP COLUMN iban, DROP COLUMN payee_rnokpp, DROP COLUMN payee_document_number`,
      `ALTER TABLE ${S}.payment DROP COLUMN iban, DROP COLUMN payee_rnokpp, DROP COLUMN payee_document_number`,
      encrypted('assignment'),
      encrypted('payment'),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    const cipher = await cipherOf(q);
    await runStatements(q, [
      `ALTER TABLE ${S}.assignment DROP CONSTRAINT assignment_pii_encrypted`,
      `ALTER TABLE ${S}.payment DROP CONSTRAINT payment_pii_encrypted`,
      `ALTER TABLE ${S}.assignment ADD COLUMN iban char(29), ADD COLUMN payee_rnokpp char(10),
         ADD COLUMN payee_document_number text CHECK (char_length(payee_document_number) BETWEEN 1 AND 35)`,
      `ALTER TABLE ${S}.payment ADD COLUMN iban char(29), ADD COLUMN payee_rnokpp char(10), ADD COLUMN payee_document_number text`,
    ]);
    for (const t of TABLES) {
      await inBatches(
        q,
        t.table,
        t.key,
        'iban_enc, payee_rnokpp_enc, payee_document_number_enc',
        'iban_enc IS NOT NULL OR payee_rnokpp_enc IS NOT NULL OR payee_document_number_enc IS NOT NULL',
        async (rows) => {
          const iban = rows.map((r) => cipher.decrypt(r.iban_enc, PiiField.Iban));
          await q.query(
            `UPDATE ${S}.${t.table} x SET iban = v.iban, payee_rnokpp = v.rnokpp, payee_document_number = v.doc, iban_enc = NULL, payee_rnokpp_enc = NULL, payee_document_number_enc = NULL
             FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS v(k, iban, rnokpp, doc) WHERE x.${t.key} = v.k`,
            [
              rows.map((r) => r.k),
              iban,
              rows.map((r) => cipher.decrypt(r.payee_rnokpp_enc, PiiField.PayeeRnokpp)),
              rows.map((r) => cipher.decrypt(r.payee_document_number_enc, PiiField.PayeeDocumentNumber)),
            ],
          );
        },
      );
    }
    await runStatements(q, [
      `ALTER TABLE ${S}.assignment DROP COLUMN iban_enc, DROP COLUMN iban_masked, DROP COLUMN iban_hash, DROP COLUMN mfo, DROP COLUMN payee_rnokpp_enc, DROP COLUMN payee_document_number_enc`,
      `ALTER TABLE ${S}.payment DROP COLUMN iban_enc, DROP COLUMN iban_masked, DROP COLUMN payee_rnokpp_enc, DROP COLUMN payee_document_number_enc`,
      ...piiDataKeyTableDown(S),
    ]);
  }
}
