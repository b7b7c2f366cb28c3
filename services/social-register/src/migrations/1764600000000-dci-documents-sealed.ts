import { ensureActiveDataKey, loadFieldCipher, piiKeysFromConfig, typeormSql, type FieldCipher } from '@eisss/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { openDocument, sealDocument, type SealedColumn } from '../dci/dci-sealed';

const S = 'social_register';
const BATCH = 500;
type Db = { query(text: string, params?: unknown[]): Promise<any> };

/** The DCI columns that hold whole documents with personal data (dci/dci-sealed.ts). */
export const DCI_SEALED_COLUMNS: { table: 'dci_transaction' | 'dci_callback'; columns: ('request' | 'response' | 'body')[] }[] = [
  { table: 'dci_transaction', columns: ['request', 'response'] },
  { table: 'dci_callback', columns: ['body'] },
];

/** Rewrites every DCI document with `fn` (batches by id; each column's own value only). */
async function rewrite(q: Db, fn: (stored: unknown, column: SealedColumn) => string | null): Promise<void> {
  for (const d of DCI_SEALED_COLUMNS) {
    let last = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: Record<string, any>[] = await typeormSql(q)(
        `SELECT id, ${d.columns.join(', ')} FROM ${S}.${d.table} WHERE id > $1 ORDER BY id LIMIT ${BATCH}`,
        [last],
      );
      if (rows.length === 0) break;
      for (const r of rows) {
        await q.query(`UPDATE ${S}.${d.table} SET ${d.columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`, [
          r.id,
          ...d.columns.map((c) => fn(r[c], `${d.table}.${c}` as SealedColumn)),
        ]);
      }
      last = rows[rows.length - 1]!.id;
    }
  }
}

/** Seals the plain DCI documents written before they were stored sealed (sealed ones stay as they are). */
export function sealDciDocuments(q: Db, cipher: FieldCipher): Promise<void> {
  return rewrite(q, (stored, column) => (typeof stored === 'string' ? JSON.stringify(stored) : sealDocument(cipher, stored, column)));
}

/** Opens them back (down). */
export function openDciDocuments(q: Db, cipher: FieldCipher): Promise<void> {
  return rewrite(q, (stored, column) => {
    const doc = openDocument(cipher, stored, column);
    return doc === null ? null : JSON.stringify(doc);
  });
}

async function cipherOf(q: QueryRunner): Promise<FieldCipher> {
  const { wrapper, hmacKey } = piiKeysFromConfig(process.env);
  const sql = typeormSql(q);
  await ensureActiveDataKey(sql, S, wrapper);
  return loadFieldCipher(sql, S, wrapper, hmacKey);
}

/**
 * DCI requests, responses and queued callbacks stored sealed: the rows written before (plain
 * documents with РНОКПП, УНЗР, phone and e-mail) are sealed under the register's data key. As
 * after PersonPiiEncrypted1764300000000, the old row versions stay in the table files, WAL and
 * backups until `VACUUM FULL social_register.dci_transaction, social_register.dci_callback` and
 * the expiry of older backups.
 */
export class DciDocumentsSealed1764600000000 implements MigrationInterface {
  name = 'DciDocumentsSealed1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await sealDciDocuments(q, await cipherOf(q));
  }

  async down(q: QueryRunner): Promise<void> {
    await openDciDocuments(q, await cipherOf(q));
  }
}
