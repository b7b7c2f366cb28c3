import { Role } from '@eisss/contracts';
import { ServiceApp, TestEnvironment, REPO_ROOT, tokenFor } from '@eisss/testing';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Client } from 'pg';
import { loadFieldCipher, piiKeysFromConfig } from '@eisss/platform';
import { definition } from '../src/service.definition';
import { VALID_IBAN, newPerson } from './support';

/**
 * РНОКПП, УНЗР, phone, e-mail and IBAN at rest: ciphertexts under the register's data key, keyed
 * hashes for exact lookups; search, duplicate control, key rotation and migrating down and up keep
 * every value readable.
 */
describe('social-register personal data at rest', () => {
  let env: TestEnvironment;
  let app: ServiceApp;
  let sql: Client;
  const registrar = tokenFor({ id: 'registrar-1', roles: [Role.Registrar], territory: 'UA80' });
  const supervisor = tokenFor({ id: 'supervisor-1', roles: [Role.Supervisor], territory: 'UA80' });
  const officer = tokenFor({ id: 'officer-1', roles: [Role.Officer], territory: 'UA80' });
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  const persons: { id: string; rnokpp: string; phone: string; email: string; iban: string }[] = [];

  beforeAll(async () => {
    env = await TestEnvironment.create();
    app = await ServiceApp.start(definition, env.env('social-register', { PII_KEY_REFRESH_MS: '600000' }));
    sql = await env.sql('social-register');
  });

  afterAll(async () => {
    await app?.close();
    await sql?.end();
    await env?.destroy();
  });

  /** Registers a person and approves the IBAN given at registration. */
  async function registered() {
    const body = newPerson();
    const res = await app.http().post('/persons').set(auth(registrar)).send(body);
    expect(res.status).toBe(201);
    const approved = await app.http().post(`/change-requests/${res.body.accountChangeRequestId}/approve`).set(auth(supervisor)).send({});
    expect(approved.status).toBe(200);
    const p = { id: res.body.id as string, rnokpp: body.rnokpp, phone: body.phone, email: body.email, iban: VALID_IBAN };
    persons.push(p);
    return { ...p, body };
  }

  /** Every row of the tables that hold personal data, as text. */
  async function storedText(): Promise<string> {
    const parts: string[] = [];
    for (const t of ['person', 'change_request', 'person_history', 'merge_journal']) {
      const { rows } = await sql.query(`SELECT row_to_json(x)::text AS j FROM social_register.${t} x`);
      parts.push(...rows.map((r) => r.j as string));
    }
    return parts.join('\n');
  }

  async function readable(p: (typeof persons)[number]) {
    const res = await app.http().get(`/persons/${p.id}`).set(auth(officer));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ rnokpp: p.rnokpp, phone: p.phone, email: p.email, iban: p.iban });
    const history = await app.http().get(`/persons/${p.id}/history`).set(auth(officer));
    expect(history.status).toBe(200);
    expect(history.body.history).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'updated', changes: { iban: { from: null, to: p.iban } } })]),
    );
  }

  async function keyIds(): Promise<string[]> {
    const { rows } = await sql.query(
      `SELECT DISTINCT k FROM (SELECT split_part(rnokpp_enc, ':', 2) AS k FROM social_register.person WHERE rnokpp_enc IS NOT NULL
         UNION SELECT split_part(iban_enc, ':', 2) FROM social_register.person WHERE iban_enc IS NOT NULL
         UNION SELECT (regexp_matches(changes::text, '"(?:rnokpp|unzr|phone|email|iban)": "v1:([A-Za-z0-9_.-]+):', 'g'))[1] FROM social_register.change_request) x ORDER BY 1`,
    );
    return rows.map((r) => r.k);
  }

  it('stores no plain РНОКПП, IBAN, phone or e-mail: ciphertexts with their key id, and keyed hashes', async () => {
    const p = await registered();
    const { rows } = await sql.query(`SELECT * FROM social_register.person WHERE id = $1`, [p.id]);
    const row = rows[0]!;
    for (const c of ['rnokpp', 'unzr', 'phone', 'email', 'iban']) expect(Object.keys(row)).not.toContain(c);
    expect(row.rnokpp_enc).toMatch(/^v1:[A-Za-z0-9_.-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/);
    expect(row.iban_enc).toMatch(/^v1:/);
    expect(row.rnokpp_hash).toMatch(/^[0-9a-f]{64}$/);
    const stored = await storedText();
    expect(stored).not.toContain(p.rnokpp);
    expect(stored).not.toContain(VALID_IBAN);
    expect(stored).not.toContain(p.phone.slice(1));
    expect(stored).not.toContain(p.email);
    await expect(sql.query(`UPDATE social_register.person SET rnokpp_enc = $2 WHERE id = $1`, [p.id, p.rnokpp])).rejects.toThrow(
      /person_pii_encrypted/,
    );
    await readable(p);
  });

  it('finds a person by exact РНОКПП (REST and DCI) through the keyed hash', async () => {
    const p = await registered();
    const rest = await app.http().get('/persons').query({ rnokpp: p.rnokpp }).set(auth(officer));
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ total: 1, items: [{ id: p.id, rnokpp: p.rnokpp }] });
    const none = await app.http().get('/persons').query({ rnokpp: newPerson().rnokpp }).set(auth(officer));
    expect(none.body.total).toBe(0);
    const dci = await app
      .http()
      .post('/registry/sync/search')
      .set(auth(tokenFor({ id: 'spmis-kyiv', roles: [Role.System], territory: 'UA80' })))
      .send({
        header: {
          version: '1.0.0',
          message_id: randomUUID(),
          message_ts: new Date().toISOString(),
          action: 'search',
          sender_id: 'spmis-kyiv',
          total_count: 1,
        },
        message: {
          transaction_id: 'txn-pii',
          search_request: [
            {
              reference_id: 'r-1',
              timestamp: new Date().toISOString(),
              search_criteria: {
                version: '1.0.0',
                reg_type: 'ns:ua:RegistryType:Social',
                query_type: 'idtype-value',
                query: { type: 'RNOKPP', value: p.rnokpp },
                pagination: { page_size: 10, page_number: 1 },
              },
            },
          ],
        },
      });
    // The DCI front door may refuse an unregistered or unsigned sender (issue 10 item 3); when it answers, it finds the person.
    if (dci.status === 200 && dci.body.message?.search_response?.[0]?.data) {
      const records = dci.body.message.search_response[0].data.reg_records;
      expect(records).toHaveLength(1);
      expect(records[0].identifier).toEqual(
        expect.arrayContaining([{ '@type': 'Identifier', identifier_type: 'RNOKPP', identifier_value: p.rnokpp }]),
      );
    }
  });

  it('keeps duplicate control: an exact duplicate by РНОКПП is refused, a probable one opens a review', async () => {
    const p = await registered();
    const again = await app
      .http()
      .post('/persons')
      .set(auth(registrar))
      .send({ ...p.body, lastName: 'Інший' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'PERSON_DUPLICATE', field: 'rnokpp', details: { existingPersonId: p.id } });
    const unzr = `${p.body.birthDate.replace(/-/g, '')}-00042`;
    const probable = await app
      .http()
      .post('/persons')
      .set(auth(registrar))
      .send({
        ...newPerson(),
        rnokpp: undefined,
        unzr,
        birthDate: p.body.birthDate,
        lastName: p.body.lastName,
        firstName: p.body.firstName,
        patronymic: p.body.patronymic,
      });
    expect(probable.status).toBe(201);
    expect(probable.body.probableDuplicateIds).toEqual([p.id]);
    const sameUnzr = await app
      .http()
      .post('/persons')
      .set(auth(registrar))
      .send({ ...newPerson(), rnokpp: undefined, unzr, birthDate: p.body.birthDate });
    expect(sameUnzr.status).toBe(409);
    expect(sameUnzr.body.error).toMatchObject({ code: 'PERSON_DUPLICATE', field: 'unzr', details: { existingPersonId: probable.body.id } });
  });

  function node(script: string, ...args: string[]): string {
    return execFileSync(process.execPath, [join(REPO_ROOT, 'services', 'social-register', 'dist', script), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env.env('social-register') },
      encoding: 'utf8',
    });
  }

  /** A failed run: its exit code and output. */
  function failing(script: string, ...args: string[]): { status: number | null; out: string } {
    try {
      node(script, ...args);
    } catch (e) {
      const err = e as { status: number | null; stdout: string; stderr: string };
      return { status: err.status, out: `${err.stdout}${err.stderr}` };
    }
    throw new Error(`${script} ${args.join(' ')} succeeded`);
  }

  it('rotates the data key: every value is re-encrypted in batches, nothing becomes unreadable, old keys retire', async () => {
    await registered();
    const before = await keyIds();
    expect(before).toHaveLength(1);
    // Free text that looks like a ciphertext, outside the personal-data keys, is neither a key in use nor re-encrypted.
    await sql.query(
      `UPDATE social_register.change_request SET changes = changes || '{"comment": "v1:zz:a:b:c"}'::jsonb WHERE person_id = $1`,
      [persons[0]!.id],
    );
    // A DCI document stored whole as one ciphertext (dci-sealed.ts) is re-encrypted too.
    const { wrapper, hmacKey } = piiKeysFromConfig({ NODE_ENV: 'test' });
    const rowsOf = async (text: string, params?: unknown[]) => (await sql.query(text, params)).rows;
    const dciDoc = { query: { type: 'RNOKPP', value: persons[0]!.rnokpp } };
    const sealedBefore = (await loadFieldCipher(rowsOf, 'social_register', wrapper, hmacKey)).encrypt(
      JSON.stringify(dciDoc),
      'dci_transaction.request',
    );
    const dciId = randomUUID();
    await sql.query(
      `INSERT INTO social_register.dci_transaction (id, sender_id, message_id, transaction_id, correlation_id, action, status, reference_ids, request, principal)
       VALUES ($1::uuid, 'spmis-kyiv', $1::text, 'txn-rotate', $1::text, 'search', 'succ', '{}', $2, '{}')`,
      [dciId, JSON.stringify(sealedBefore)],
    );
    // --retire in the run that creates the new key is refused, and nothing is done.
    const refused = failing('rotate-keys.js', '--retire');
    expect(refused.status).toBe(2);
    expect(refused.out).toMatch(/--retire is refused in the run that creates a new data key[\s\S]*rotate-keys --resume --retire/);
    expect((await sql.query(`SELECT id FROM social_register.pii_data_key`)).rows).toEqual([{ id: before[0] }]);
    const out = node('rotate-keys.js', '--batch', '2');
    expect(out).toMatch(/new active data key (\S+)/);
    const newKey = /new active data key (\S+)/.exec(out)![1]!;
    expect(out).toMatch(/person: \d+\/\d+ rows checked/);
    expect(out).toContain('every value is under the active key');
    expect(await keyIds()).toEqual([newKey]);
    const { rows } = await sql.query(
      `SELECT id, active, deactivated_at IS NOT NULL AS deactivated FROM social_register.pii_data_key ORDER BY created_at`,
    );
    expect(rows).toEqual([
      { id: before[0], active: false, deactivated: true },
      { id: newKey, active: true, deactivated: false },
    ]);
    const { rows: cr } = await sql.query(`SELECT changes FROM social_register.change_request WHERE person_id = $1`, [persons[0]!.id]);
    expect(cr[0].changes.comment).toBe('v1:zz:a:b:c');
    const { rows: dci } = await sql.query(`SELECT request FROM social_register.dci_transaction WHERE id = $1`, [dciId]);
    expect(dci[0].request).toMatch(new RegExp(`^v1:${newKey}:`));
    expect(
      JSON.parse((await loadFieldCipher(rowsOf, 'social_register', wrapper, hmacKey)).decrypt(dci[0].request, 'dci_transaction.request')),
    ).toEqual(dciDoc);
    for (const p of persons) await readable(p); // the running service meets the new key and reloads
    const later = await registered(); // written under the new key
    expect(await keyIds()).toEqual([newKey]);
    // Resumable: a second run finds nothing to do; the old key stopped being active too recently to retire
    // (a replica may not have reloaded yet: 2 × PII_KEY_REFRESH_MS), so it stays, and the run says when.
    const early = failing('rotate-keys.js', '--resume', '--retire');
    expect(early.status).toBe(4);
    expect(early.out).toMatch(/person: \d+\/\d+ rows checked, 0 re-encrypted/);
    expect(early.out).toContain('every value is under the active key');
    expect(early.out).toMatch(
      new RegExp(`data key ${before[0]} stopped being active less than 2 × PII_KEY_REFRESH_MS ago[^\\n]*after \\d{4}-`),
    );
    expect((await sql.query(`SELECT id FROM social_register.pii_data_key ORDER BY created_at`)).rows).toEqual([
      { id: before[0] },
      { id: newKey },
    ]);
    // Once every replica has reloaded since, it retires.
    await sql.query(`UPDATE social_register.pii_data_key SET deactivated_at = now() - interval '1 hour' WHERE id = $1`, [before[0]]);
    const resumed = node('rotate-keys.js', '--resume', '--retire');
    expect(resumed).toContain(`retired data key(s): ${before[0]}`);
    expect((await sql.query(`SELECT id FROM social_register.pii_data_key`)).rows).toEqual([{ id: newKey }]);
    await readable(later);
  });

  it('migrating down decrypts the values back and up encrypts them again, all readable', async () => {
    if (persons.length === 0) await registered();
    // Down to just below the encryption migration (and whatever came after it), then up again.
    const { rows: applied } = await sql.query(`SELECT name FROM social_register.migrations ORDER BY id DESC`);
    const steps = applied.findIndex((r) => r.name === 'PersonPiiEncrypted1764300000000') + 1;
    expect(steps).toBeGreaterThan(0);
    node('migrate.js', 'down', String(steps));
    const { rows } = await sql.query(`SELECT id, rnokpp, iban, phone, email FROM social_register.person`);
    for (const p of persons)
      expect(rows.find((r) => r.id === p.id)).toMatchObject({ rnokpp: p.rnokpp, iban: p.iban, phone: p.phone, email: p.email });
    const { rows: cr } = await sql.query(`SELECT changes FROM social_register.change_request WHERE person_id = $1`, [persons[0]!.id]);
    expect(cr[0].changes).toMatchObject({ iban: VALID_IBAN });
    // DROP COLUMN leaves the dropped values in the rows: the migration must write each row without its
    // plain values. A probe records the plain columns of every row version the migration writes.
    await sql.query(`CREATE TABLE social_register.pii_probe (id uuid, rnokpp text, unzr text, phone text, email text, iban text)`);
    await sql.query(`CREATE FUNCTION social_register.pii_probe() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO social_register.pii_probe VALUES (NEW.id, NEW.rnokpp, NEW.unzr, NEW.phone, NEW.email, NEW.iban); RETURN NEW; END $$`);
    await sql.query(
      `CREATE TRIGGER pii_probe AFTER UPDATE ON social_register.person FOR EACH ROW EXECUTE FUNCTION social_register.pii_probe()`,
    );
    node('migrate.js', 'up');
    await sql.query(`DROP TRIGGER pii_probe ON social_register.person`);
    const { rows: written } = await sql.query(`SELECT * FROM social_register.pii_probe`);
    await sql.query(`DROP FUNCTION social_register.pii_probe(); DROP TABLE social_register.pii_probe`);
    expect(written.length).toBeGreaterThanOrEqual(persons.length);
    for (const w of written) expect(w).toMatchObject({ rnokpp: null, unzr: null, phone: null, email: null, iban: null });
    const stored = await storedText();
    for (const p of persons) expect(stored).not.toContain(p.rnokpp);
    expect(stored).not.toContain(VALID_IBAN);
    for (const p of persons) await readable(p);
    const rest = await app.http().get('/persons').query({ rnokpp: persons[0]!.rnokpp }).set(auth(officer));
    expect(rest.body.items.map((x: { id: string }) => x.id)).toEqual([persons[0]!.id]);
  });
});
