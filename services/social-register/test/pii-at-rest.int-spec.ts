import { Role } from '@eisss/contracts';
import { ServiceApp, TestEnvironment, REPO_ROOT, tokenFor } from '@eisss/testing';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Client } from 'pg';
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
    expect(history.body.history).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'updated', changes: { iban: { from: null, to: p.iban } } })]));
  }

  async function keyIds(): Promise<string[]> {
    const { rows } = await sql.query(
      `SELECT DISTINCT k FROM (SELECT split_part(rnokpp_enc, ':', 2) AS k FROM social_register.person WHERE rnokpp_enc IS NOT NULL
         UNION SELECT split_part(iban_enc, ':', 2) FROM social_register.person WHERE iban_enc IS NOT NULL
         UNION SELECT (regexp_matches(changes::text, '"v1:([A-Za-z0-9_.-]+):', 'g'))[1] FROM social_register.change_request) x ORDER BY 1`,
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
    await expect(sql.query(`UPDATE social_register.person SET rnokpp_enc = $2 WHERE id = $1`, [p.id, p.rnokpp])).rejects.toThrow(/person_pii_encrypted/);
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
        header: { version: '1.0.0', message_id: randomUUID(), message_ts: new Date().toISOString(), action: 'search', sender_id: 'spmis-kyiv', total_count: 1 },
        message: {
          transaction_id: 'txn-pii',
          search_request: [{ reference_id: 'r-1', timestamp: new Date().toISOString(), search_criteria: { version: '1.0.0', reg_type: 'ns:ua:RegistryType:Social', query_type: 'idtype-value', query: { type: 'RNOKPP', value: p.rnokpp }, pagination: { page_size: 10, page_number: 1 } } }],
        },
      });
    // The DCI front door may refuse an unregistered or unsigned sender (issue 10 item 3); when it answers, it finds the person.
    if (dci.status === 200 && dci.body.message?.search_response?.[0]?.data) {
      const records = dci.body.message.search_response[0].data.reg_records;
      expect(records).toHaveLength(1);
      expect(records[0].identifier).toEqual(expect.arrayContaining([{ '@type': 'Identifier', identifier_type: 'RNOKPP', identifier_value: p.rnokpp }]));
    }
  });

  it('keeps duplicate control: an exact duplicate by РНОКПП is refused, a probable one opens a review', async () => {
    const p = await registered();
    const again = await app.http().post('/persons').set(auth(registrar)).send({ ...p.body, lastName: 'Інший' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'PERSON_DUPLICATE', field: 'rnokpp', details: { existingPersonId: p.id } });
    const unzr = `${p.body.birthDate.replace(/-/g, '')}-00042`;
    const probable = await app.http().post('/persons').set(auth(registrar)).send({ ...newPerson(), rnokpp: undefined, unzr, birthDate: p.body.birthDate, lastName: p.body.lastName, firstName: p.body.firstName, patronymic: p.body.patronymic });
    expect(probable.status).toBe(201);
    expect(probable.body.probableDuplicateIds).toEqual([p.id]);
    const sameUnzr = await app.http().post('/persons').set(auth(registrar)).send({ ...newPerson(), rnokpp: undefined, unzr, birthDate: p.body.birthDate });
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

  it('rotates the data key: every value is re-encrypted in batches, nothing becomes unreadable, old keys retire', async () => {
    await registered();
    const before = await keyIds();
    expect(before).toHaveLength(1);
    const out = node('rotate-keys.js', '--batch', '2');
    expect(out).toMatch(/new active data key (\S+)/);
    const newKey = /new active data key (\S+)/.exec(out)![1]!;
    expect(out).toMatch(/person: \d+\/\d+ rows checked/);
    expect(out).toContain('every value is under the active key');
    expect(await keyIds()).toEqual([newKey]);
    const { rows } = await sql.query(`SELECT id, active FROM social_register.pii_data_key ORDER BY created_at`);
    expect(rows).toEqual([{ id: before[0], active: false }, { id: newKey, active: true }]);
    for (const p of persons) await readable(p); // the running service meets the new key and reloads
    const later = await registered(); // written under the new key
    expect(await keyIds()).toEqual([newKey]);
    // Resumable: a second run finds nothing to do, and retires the old key.
    const resumed = node('rotate-keys.js', '--resume', '--retire');
    expect(resumed).toMatch(/person: \d+\/\d+ rows checked, 0 re-encrypted/);
    expect(resumed).toContain(`retired data key(s): ${before[0]}`);
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
    for (const p of persons) expect(rows.find((r) => r.id === p.id)).toMatchObject({ rnokpp: p.rnokpp, iban: p.iban, phone: p.phone, email: p.email });
    const { rows: cr } = await sql.query(`SELECT changes FROM social_register.change_request WHERE person_id = $1`, [persons[0]!.id]);
    expect(cr[0].changes).toEqual({ iban: VALID_IBAN });
    node('migrate.js', 'up');
    const stored = await storedText();
    for (const p of persons) expect(stored).not.toContain(p.rnokpp);
    expect(stored).not.toContain(VALID_IBAN);
    for (const p of persons) await readable(p);
    const rest = await app.http().get('/persons').query({ rnokpp: persons[0]!.rnokpp }).set(auth(officer));
    expect(rest.body.items.map((x: { id: string }) => x.id)).toEqual([persons[0]!.id]);
  });
});
