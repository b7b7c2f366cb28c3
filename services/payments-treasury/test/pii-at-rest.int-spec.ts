import { AssignmentGrantedV2, FundsReservedV1, PayrollSubmittedV1, Role, dlqTopic, type PayloadOf } from '@eisss/contracts';
import { SealedField, maskIban, sealFor, sealRecipientFromConfig } from '@eisss/platform';
import { KafkaProbe, REPO_ROOT, ServiceApp, TestEnvironment, expectEventually, tokenFor } from '@eisss/testing';
import { XMLParser } from 'fast-xml-parser';
import { exportJWK, generateKeyPair } from 'jose';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Client } from 'pg';
import { definition } from '../src/service.definition';
import {
  envelopeOf,
  ibanAt,
  publish,
  sealedPayload,
  snapshot,
  type AssignmentPayload,
  type SealedAssignmentPayload,
} from './support/events';

const TREASURY_IBAN = 'UA938999980000035221139001014';
const PROGRAMME = 'idp-living-allowance';

/**
 * The IBAN, the payee's РНОКПП and document number at rest in the treasury: opened from the sealed
 * values of assignment events, stored only as ciphertexts under the treasury's data key (no plain
 * value in any row), decrypted only into the pain.001 file; a value that does not open is refused
 * to the dead-letter topic and stores nothing; key rotation and migrating down and up keep the
 * bank file right.
 */
describe('payments-treasury personal data at rest', () => {
  let env: TestEnvironment;
  let app: ServiceApp;
  let probe: KafkaProbe;
  let sql: Client;
  const treasurer = `Bearer ${tokenFor({ roles: [Role.Treasurer], territory: 'UA', id: 'treasurer-pii' })}`;
  const mfo = '322313';
  const people = { rnokpp: randomUUID(), document: randomUUID(), post: randomUUID() };
  const ids = { rnokpp: randomUUID(), document: randomUUID(), post: randomUUID() };
  const ibanR = ibanAt(mfo, '26007233566101');
  const ibanD = ibanAt(mfo, '26007233566102');
  const RNOKPP = '2893710456';
  const DOCUMENT = 'КС987654';
  const grant = (
    id: string,
    person: string,
    payment: AssignmentPayload['assignment']['payment'],
    payee: AssignmentPayload['assignment']['payee'],
  ): AssignmentPayload => ({
    assignment: snapshot({ assignmentId: id, recipientPersonId: person, payment, payee }),
    reason: null,
    effectiveFrom: '2026-11',
    differences: [],
  });
  const grants = [
    grant(
      ids.rnokpp,
      people.rnokpp,
      { method: 'bank', iban: ibanR },
      { fullName: 'Податкова Отримувачка', rnokpp: RNOKPP, documentNumber: null },
    ),
    grant(
      ids.document,
      people.document,
      { method: 'bank', iban: ibanD },
      { fullName: 'Паспортний Отримувач', rnokpp: null, documentNumber: DOCUMENT },
    ),
    grant(
      ids.post,
      people.post,
      { method: 'post', postcode: '01001' },
      { fullName: 'Поштова Отримувачка', rnokpp: '3296909324', documentNumber: null },
    ),
  ];
  const secrets = [ibanR, ibanD, RNOKPP, DOCUMENT, '3296909324'];
  let bankBatchId: string;

  const node = (script: string, ...args: string[]) =>
    execFileSync(process.execPath, [join(REPO_ROOT, 'services', 'payments-treasury', 'dist', script), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env.env('payments-treasury') },
      encoding: 'utf8',
    });
  function failing(script: string, ...args: string[]): { status: number | null; out: string } {
    try {
      node(script, ...args);
    } catch (e) {
      const err = e as { status: number | null; stdout: string; stderr: string };
      return { status: err.status, out: `${err.stdout}${err.stderr}` };
    }
    throw new Error(`${script} ${args.join(' ')} succeeded`);
  }

  /** Every row of every table of the treasury's schemas, as text. */
  async function storedText(): Promise<string> {
    const { rows: tables } = await sql.query(
      `SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN ('payments_treasury', 'payments_treasury_audit') AND table_type = 'BASE TABLE'`,
    );
    const parts: string[] = [];
    for (const t of tables) {
      const { rows } = await sql.query(`SELECT row_to_json(x)::text AS j FROM ${t.table_schema}.${t.table_name} x`);
      parts.push(...rows.map((r) => r.j as string));
    }
    expect(parts.length).toBeGreaterThan(10);
    return parts.join('\n');
  }

  async function download(batchId: string): Promise<string> {
    const file = await app
      .http()
      .get(`/batches/${batchId}/file`)
      .set('authorization', treasurer)
      .buffer(true)
      .parse((r, cb) => {
        let d = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (d += c));
        r.on('end', () => cb(null, d));
      });
    expect(file.status).toBe(200);
    return file.body as string;
  }

  /** The creditor accounts and identifiers of a pain.001 file. */
  async function creditors(batchId: string) {
    const xml = await download(batchId);
    const txs = new XMLParser({ parseTagValue: false, removeNSPrefix: true, isArray: (n) => n === 'CdtTrfTxInf' }).parse(xml).Document
      .CstmrCdtTrfInitn.PmtInf.CdtTrfTxInf;
    return txs
      .map((t: { CdtrAcct: { Id: { IBAN: string } }; Cdtr: { Nm: string; Id: { PrvtId: { Othr: unknown } } } }) => [
        t.CdtrAcct.Id.IBAN,
        t.Cdtr.Nm,
        t.Cdtr.Id.PrvtId.Othr,
      ])
      .sort();
  }
  const expectedCreditors = [
    [ibanR, 'Податкова Отримувачка', { Id: RNOKPP, SchmeNm: { Cd: 'TXID' } }],
    [ibanD, 'Паспортний Отримувач', { Id: DOCUMENT, SchmeNm: { Cd: 'NIDN' } }],
  ].sort();

  async function keyIds(): Promise<string[]> {
    const { rows } = await sql.query(
      `SELECT DISTINCT split_part(v, ':', 2) AS k FROM (
         SELECT unnest(ARRAY[iban_enc, payee_rnokpp_enc, payee_document_number_enc]) AS v FROM payments_treasury.assignment
         UNION ALL SELECT unnest(ARRAY[iban_enc, payee_rnokpp_enc, payee_document_number_enc]) FROM payments_treasury.payment) x WHERE v IS NOT NULL ORDER BY 1`,
    );
    return rows.map((r) => r.k);
  }

  beforeAll(async () => {
    env = await TestEnvironment.create();
    probe = await KafkaProbe.start([env.topicPrefix + PayrollSubmittedV1.topic, env.topicPrefix + dlqTopic(AssignmentGrantedV2.topic)]);
    // A long refresh: the service must pick up a rotated key on meeting it, not on a timer.
    app = await ServiceApp.start(
      definition,
      env.env('payments-treasury', { TREASURY_DEBTOR_IBAN: TREASURY_IBAN, PII_KEY_REFRESH_MS: '600000' }),
    );
    sql = await env.sql('payments-treasury');
  });

  afterAll(async () => {
    await sql?.end();
    await app?.close();
    await probe?.stop();
    await env?.destroy();
  });

  it('stores no plain IBAN, РНОКПП or document number in any row, while the pain.001 carries the right IBAN and Cdtr identifiers', async () => {
    for (const g of grants)
      await publish(
        env.topicPrefix,
        AssignmentGrantedV2,
        envelopeOf(AssignmentGrantedV2, await sealedPayload(g), g.assignment.assignmentId),
      );
    await expectEventually(async () =>
      expect((await sql.query(`SELECT count(*)::int AS n FROM payments_treasury.assignment`)).rows[0].n).toBe(3),
    );
    const { rows: stored } = await sql.query(`SELECT * FROM payments_treasury.assignment WHERE assignment_id = $1`, [ids.rnokpp]);
    for (const c of ['iban', 'payee_rnokpp', 'payee_document_number']) expect(Object.keys(stored[0])).not.toContain(c);
    expect(stored[0]).toMatchObject({ iban_masked: maskIban(ibanR), mfo, payee_document_number_enc: null });
    expect(stored[0].iban_enc).toMatch(/^v1:[A-Za-z0-9_.-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/);
    expect(stored[0].iban_hash).toMatch(/^[0-9a-f]{64}$/);
    await expect(
      sql.query(`UPDATE payments_treasury.assignment SET iban_enc = $2 WHERE assignment_id = $1`, [ids.rnokpp, ibanR]),
    ).rejects.toThrow(/assignment_pii_encrypted/);

    const run = await app.http().post('/payrolls').set('authorization', treasurer).send({ programmeCode: PROGRAMME, month: '2026-11' });
    expect(run.status).toBe(201);
    const payrollId = run.body.id as string;
    const s = await expectEventually(() => {
      const e = probe
        .envelopes<PayloadOf<typeof PayrollSubmittedV1>>(env.topicPrefix + PayrollSubmittedV1.topic)
        .find((x) => x.payload.payrollId === payrollId);
      expect(e).toBeDefined();
      return e!.payload;
    });
    const reserved = {
      reservationId: randomUUID(),
      payrollId,
      submissionId: s.submissionId,
      programmeCode: PROGRAMME,
      month: '2026-11',
      amountKopiyky: s.totalKopiyky,
      appropriationKopiyky: '100000000',
      availableAfterKopiyky: '1',
    };
    await publish(env.topicPrefix, FundsReservedV1, envelopeOf(FundsReservedV1, reserved, payrollId));
    await expectEventually(async () =>
      expect((await app.http().get(`/payrolls/${payrollId}`).set('authorization', treasurer)).body.status).toBe('approved'),
    );
    const batches = await app.http().post(`/payrolls/${payrollId}/batches`).set('authorization', treasurer);
    expect(batches.status).toBe(200);
    const bank = (batches.body as { id: string; channel: string; mfo: string; paymentCount: number }[]).filter((b) => b.channel === 'bank');
    expect(bank.map((b) => [b.mfo, b.paymentCount])).toEqual([[mfo, 2]]);
    bankBatchId = bank[0]!.id;
    expect(await creditors(bankBatchId)).toEqual(expectedCreditors);

    const text = await storedText();
    for (const v of secrets) expect(text).not.toContain(v);
    expect((await sql.query(`SELECT count(*)::int AS n FROM payments_treasury.payment WHERE iban_enc IS NOT NULL`)).rows[0].n).toBe(2);
    // REST: the masked IBAN only, no identifier of the holder.
    const list = await app.http().get('/payments').query({ payrollId }).set('authorization', treasurer);
    expect(list.body.total).toBe(3);
    for (const v of secrets) expect(JSON.stringify(list.body)).not.toContain(v);
    expect(list.body.items.find((p: { assignmentId: string }) => p.assignmentId === ids.rnokpp)).toMatchObject({
      ibanMasked: maskIban(ibanR),
      mfo,
    });
    expect(list.body.items[0]).not.toHaveProperty('iban');
  });

  it('dead-letters an assignment event whose IBAN or identifiers do not open or fail the check, with the reason, storing nothing', async () => {
    const { privateKey } = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
    const { d: _d, ...otherPublic } = await exportJWK(privateKey);
    const iban = ibanAt(mfo, '26007233566199');
    const base = async () =>
      sealedPayload(
        grant(
          randomUUID(),
          randomUUID(),
          { method: 'bank', iban },
          { fullName: 'Відхилений Отримувач', rnokpp: RNOKPP, documentNumber: null },
        ),
      );
    const withIbanSealed = async (sealed: (p: SealedAssignmentPayload & { ibanSealed: string }) => string | Promise<string>) => {
      const p = await base();
      const pay = p.assignment.payment as { method: 'bank'; ibanMasked: string; accountRef: string; ibanSealed: string };
      return { ...p, assignment: { ...p.assignment, payment: { ...pay, ibanSealed: await sealed({ ...p, ibanSealed: pay.ibanSealed }) } } };
    };
    const cases: { name: string; payload: SealedAssignmentPayload; code: string; reason: RegExp }[] = [
      // Sealed to another key pair under the treasury's kid: does not open.
      {
        name: 'other key',
        payload: await withIbanSealed(() => sealFor({ kid: 'dev-treasury-1', publicJwk: otherPublic }, SealedField.Iban, iban)),
        code: 'ASSIGNMENT_ACCOUNT_UNREADABLE',
        reason: /does not open/,
      },
      // Sealed to a kid the treasury does not hold.
      {
        name: 'unknown kid',
        payload: await withIbanSealed(() =>
          sealFor(
            sealRecipientFromConfig('x', JSON.stringify({ ...otherPublic, kid: 'someone-else-1' }), 'payments-treasury', 'test'),
            SealedField.Iban,
            iban,
          ),
        ),
        code: 'ASSIGNMENT_ACCOUNT_UNREADABLE',
        reason: /no unsealing key someone-else-1/,
      },
      // Tampered ciphertext.
      {
        name: 'tampered',
        payload: await withIbanSealed((p) => {
          const parts = p.ibanSealed.split('.');
          parts[3] = (parts[3]!.startsWith('A') ? 'B' : 'A') + parts[3]!.slice(1);
          return parts.join('.');
        }),
        code: 'ASSIGNMENT_ACCOUNT_UNREADABLE',
        reason: /does not open/,
      },
      // The payee identity replaced by the sealed IBAN (sealed for another field).
      {
        name: 'another field',
        payload: await (async () => {
          const p = await base();
          const pay = p.assignment.payment as { ibanSealed: string };
          return { ...p, assignment: { ...p.assignment, payee: { ...p.assignment.payee!, identitySealed: pay.ibanSealed } } };
        })(),
        code: 'ASSIGNMENT_PAYEE_UNREADABLE',
        reason: /sealed for "iban", not payee-identity/,
      },
      // Opens, but the IBAN fails the mod-97 check.
      {
        name: 'mod-97',
        payload: await sealedPayload(
          grant(
            randomUUID(),
            randomUUID(),
            { method: 'bank', iban: `UA00${iban.slice(4)}` },
            { fullName: 'Відхилений Отримувач', rnokpp: RNOKPP, documentNumber: null },
          ),
        ),
        code: 'ASSIGNMENT_IBAN_INVALID',
        reason: /mod-97/,
      },
    ];
    const envelopes = cases.map((c) => envelopeOf(AssignmentGrantedV2, c.payload, c.payload.assignment.assignmentId));
    for (const e of envelopes) await publish(env.topicPrefix, AssignmentGrantedV2, e);
    const dlq = env.topicPrefix + dlqTopic(AssignmentGrantedV2.topic);
    const dead = await expectEventually(() => {
      const m = probe.on(dlq).filter((x) => envelopes.some((e) => x.value?.includes(e.eventId)));
      expect(m).toHaveLength(cases.length);
      return m;
    });
    cases.forEach((c, i) => {
      const m = dead.find((x) => x.value!.includes(envelopes[i]!.eventId))!;
      expect([c.name, m.headers['dlq-error-code']]).toEqual([c.name, c.code]);
      expect(m.headers['dlq-reason']).toMatch(c.reason);
      expect(m.headers['dlq-reason']).not.toContain(iban.slice(4));
    });
    const assignmentIds = cases.map((c) => c.payload.assignment.assignmentId);
    expect(
      (
        await sql.query(`SELECT count(*)::int AS n FROM payments_treasury.assignment WHERE assignment_id = ANY($1::uuid[])`, [
          assignmentIds,
        ])
      ).rows[0].n,
    ).toBe(0);
    expect(
      (
        await sql.query(`SELECT count(*)::int AS n FROM payments_treasury.inbox WHERE event_id = ANY($1::uuid[])`, [
          envelopes.map((e) => e.eventId),
        ])
      ).rows[0].n,
    ).toBe(0);
  });

  it('rotates the data key: every value re-encrypted in batches, the bank file still right, old keys retire', async () => {
    const before = await keyIds();
    expect(before).toHaveLength(1);
    const refused = failing('rotate-keys.js', '--retire');
    expect(refused.status).toBe(2);
    expect(refused.out).toMatch(/--retire is refused[\s\S]*rotate-keys --resume --retire/);

    const out = node('rotate-keys.js', '--batch', '1');
    const newKey = /new active data key (\S+)/.exec(out)![1]!;
    expect(out).toMatch(/assignment: 3 rows re-encrypted/);
    expect(out).toMatch(/payment: 2 rows re-encrypted/);
    expect(out).toContain('every value is under the active key');
    expect(await keyIds()).toEqual([newKey]);
    // The running service meets the new key in the file and reloads its keys.
    expect(await creditors(bankBatchId)).toEqual(expectedCreditors);
    for (const v of secrets) expect(await storedText()).not.toContain(v);

    // Too recently deactivated to retire (a replica may not have reloaded yet); once old enough, it retires.
    const early = failing('rotate-keys.js', '--resume', '--retire');
    expect(early.status).toBe(4);
    expect(early.out).toMatch(new RegExp(`data key ${before[0]} stopped being active less than 2 × PII_KEY_REFRESH_MS ago`));
    await sql.query(`UPDATE payments_treasury.pii_data_key SET deactivated_at = now() - interval '1 hour' WHERE id = $1`, [before[0]]);
    const resumed = node('rotate-keys.js', '--resume', '--retire');
    expect(resumed).toContain(`retired data key(s): ${before[0]}`);
    expect((await sql.query(`SELECT id FROM payments_treasury.pii_data_key`)).rows).toEqual([{ id: newKey }]);
    expect(await creditors(bankBatchId)).toEqual(expectedCreditors);
  });

  it('migrating down decrypts the values back and up encrypts them again, the bank file unchanged', async () => {
    const { rows: applied } = await sql.query(`SELECT name FROM payments_treasury.migrations ORDER BY id DESC`);
    const steps = applied.findIndex((r) => r.name === 'TreasuryPiiEncrypted1764700000000') + 1;
    expect(steps).toBeGreaterThan(0);
    node('migrate.js', 'down', String(steps));
    const { rows } = await sql.query(`SELECT assignment_id, iban, payee_rnokpp, payee_document_number FROM payments_treasury.assignment`);
    expect(rows.find((r) => r.assignment_id === ids.rnokpp)).toMatchObject({
      iban: ibanR,
      payee_rnokpp: RNOKPP,
      payee_document_number: null,
    });
    expect(rows.find((r) => r.assignment_id === ids.document)).toMatchObject({
      iban: ibanD,
      payee_rnokpp: null,
      payee_document_number: DOCUMENT,
    });
    const { rows: pay } = await sql.query(`SELECT iban, mfo FROM payments_treasury.payment WHERE assignment_id = $1`, [ids.document]);
    expect(pay).toEqual([{ iban: ibanD, mfo }]);
    node('migrate.js', 'up');
    for (const v of secrets) expect(await storedText()).not.toContain(v);
    expect(await creditors(bankBatchId)).toEqual(expectedCreditors);
  });
});
