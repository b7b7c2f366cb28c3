import {
  AssignmentMigratedV1,
  HouseholdChangedV1,
  PersonPaymentAccountChangedV2,
  PersonRegisteredV1,
  Role,
  StatusGrantedV1,
} from '@eisss/contracts';
import { withRnokppChecksum } from '@eisss/platform';
import { ServiceApp, TestEnvironment, expectEventually, REPO_ROOT, tokenFor } from '@eisss/testing';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encode } from 'iconv-lite';
import type { Client } from 'pg';
import { definition } from '../src/service.definition';

const KYIV = 'UA80000000000093317';
const LVIV = 'UA46060250010015970';
const PERSON_HEADER =
  'source_system;legacy_id;rnokpp;unzr;last_name;first_name;patronymic;birth_date;sex;death_date;katottg;address_text;actual_katottg;phone';

/** A РНОКПП of a birth date (its first five digits are days since 1899-12-31), unique by `n`. */
function rnokppOf(birthDate: string, n: number): string {
  const days = Math.round((Date.parse(`${birthDate}T00:00:00Z`) - Date.UTC(1899, 11, 31)) / 86_400_000);
  return withRnokppChecksum(`${String(days).padStart(5, '0').slice(-5)}${String(n % 10000).padStart(4, '0')}`);
}

let uniq = (process.pid % 500) * 100;
/** A good person row (birth date and РНОКПП unique within the run). */
function personRow(legacyId: string, o: Partial<Record<string, string>> = {}): string {
  uniq++;
  const birth = o.birth_date ?? new Date(Date.UTC(1950, 0, 1) + (uniq % 20000) * 86_400_000).toISOString().slice(0, 10);
  const v = {
    source_system: 'asopd',
    legacy_id: legacyId,
    rnokpp: rnokppOf(birth.includes('.') ? birth.split('.').reverse().join('-') : birth, uniq),
    unzr: '',
    last_name: `Мельник${uniq}`,
    first_name: 'Оксана',
    patronymic: 'Петрівна',
    birth_date: birth,
    sex: 'Ж',
    death_date: '',
    katottg: KYIV,
    address_text: '',
    actual_katottg: '',
    phone: '+380671234567',
    ...o,
  };
  return PERSON_HEADER.split(';')
    .map((c) => (v as Record<string, string>)[c] ?? '')
    .join(';');
}

describe('social-register bulk migration (docs/migration.md)', () => {
  let env: TestEnvironment;
  let app: ServiceApp;
  let sql: Client;
  let dir: string;
  const registrar = tokenFor({ id: 'migration-operator', roles: [Role.Registrar], territory: 'UA' });
  const supervisor = tokenFor({ id: 'migration-supervisor', roles: [Role.Supervisor], territory: 'UA' });
  const regional = tokenFor({ id: 'lviv-officer', roles: [Role.Officer], territory: 'UA46' });
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });

  beforeAll(async () => {
    env = await TestEnvironment.create();
    app = await ServiceApp.start(definition, env.env('social-register', { IMPORT_CHUNK_SIZE: '100' }));
    sql = await env.sql('social-register');
    dir = await mkdtemp(join(tmpdir(), 'eisss-migration-'));
  });

  afterAll(async () => {
    await app?.close();
    await sql?.end();
    await env?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Uploads a file as an import job and waits until it stops moving. */
  async function upload(name: string, body: Buffer, token = registrar, query = '') {
    const res = await app
      .http()
      .post(`/imports?fileName=${encodeURIComponent(name)}${query}`)
      .set(auth(token))
      .set('content-type', 'application/octet-stream')
      .send(body);
    expect(res.status).toBe(202);
    return settle(res.body.id);
  }

  async function settle(id: string) {
    return expectEventually(
      async () => {
        const job = (await app.http().get(`/imports/${id}`).set(auth(registrar))).body;
        expect(['completed', 'awaiting_approval', 'failed']).toContain(job.status);
        return job;
      },
      { timeoutMs: 60_000 },
    );
  }

  async function rejectReport(id: string): Promise<string[][]> {
    const res = await app.http().get(`/imports/${id}/rejects`).set(auth(registrar));
    expect(res.status).toBe(200);
    return res.text
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(';'));
  }

  const count = async (q: string, p: unknown[]) => Number((await sql.query(q, p)).rows[0].n);
  const mapped = (entity: string, legacyId: string, source = 'asopd') =>
    sql.query(`SELECT register_id FROM social_register.legacy_id_map WHERE source_system = $1 AND entity = $2 AND legacy_id = $3`, [
      source,
      entity,
      legacyId,
    ]);

  it('imports the good rows of a CP1251 file and reports each bad one with line, field and code', async () => {
    const rows = [
      personRow('P-1'),
      personRow('P-2', { birth_date: '15.07.1985', sex: 'M', first_name: 'Іван', patronymic: "Прокоп'євич" }),
      personRow('P-3', { rnokpp: '1234567890' }), // line 4: checksum
      personRow('P-4', { birth_date: '31.02.1980' }), // 5: not a date
      personRow('P-5', { birth_date: '2999-01-01' }), // 6: in the future
      personRow('P-6', { katottg: 'UA99000000000000000' }), // 7: not an oblast
      personRow('P-7', { sex: 'X' }), // 8
      personRow('P-8', { last_name: '' }), // 9: required
      personRow('P-9', { unzr: '1234', rnokpp: '' }), // 10: УНЗР format
      personRow('P-1'), // 11: the legacy id again
      personRow('P-10', { last_name: 'Ш'.repeat(101) }), // 12
      'asopd;P-11;1;2;3', // 13: wrong number of fields
      personRow('P-12', { phone: '12ab' }), // 14
      personRow('P-13', { katottg: '', address_text: 'Житомирська обл., с. Вишевичі, вул. Шкільна, 3' }), // legacy address only
    ];
    const file = encode([PERSON_HEADER, ...rows].join('\r\n') + '\r\n', 'win1251');
    const job = await upload('persons-asopd.csv', file);
    expect(job).toMatchObject({
      status: 'completed',
      entity: 'persons',
      encoding: 'cp1251',
      totalRows: 14,
      createdRows: 3,
      rejectedRows: 11,
    });
    const report = await rejectReport(job.id);
    const codes = report.map(([line, , field, code]) => `${line}:${field}:${code}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        '4:rnokpp:RNOKPP_CHECKSUM',
        '5:birth_date:DATE_INVALID',
        '6:birth_date:DATE_RANGE',
        '7:katottg:KATOTTG_INVALID',
        '8:sex:ENUM_INVALID',
        '9:last_name:REQUIRED',
        '10:unzr:UNZR_FORMAT',
        '11:legacy_id:DUPLICATE_IN_FILE',
        '12:last_name:TOO_LONG',
        '13:row:ROW_MALFORMED',
        '14:phone:PHONE_INVALID',
      ]),
    );
    // The report never carries the identifiers themselves.
    expect(JSON.stringify(report)).not.toMatch(/[0-9]{10}/);
    const p2 = (await mapped('person', 'P-2')).rows[0].register_id;
    const person = await sql.query(
      `SELECT last_name, first_name, patronymic, to_char(birth_date, 'YYYY-MM-DD') AS birth, sex, rnokpp_enc, katottg FROM social_register.person WHERE id = $1`,
      [p2],
    );
    expect(person.rows[0]).toMatchObject({ first_name: 'Іван', patronymic: "Прокоп'євич", birth: '1985-07-15', sex: 'male' });
    expect(person.rows[0].rnokpp_enc).toMatch(/^v1:/);
    const p13 = (await mapped('person', 'P-13')).rows[0].register_id;
    const registered = await sql.query(`SELECT envelope FROM social_register.outbox WHERE topic = $1 AND message_key = ANY($2)`, [
      PersonRegisteredV1.topic,
      [p2, p13],
    ]);
    expect(registered.rows).toHaveLength(2);
    // The lookup for the other systems during the switch-over (audited), territory-scoped.
    const found = await app.http().get('/legacy-ids/asopd/person/P-2').set(auth(registrar));
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ registerId: p2, jobId: job.id });
    expect((await app.http().get('/legacy-ids/asopd/person/P-2').set(auth(regional))).status).toBe(404);
    expect((await app.http().get('/legacy-ids/asopd/person/P-404').set(auth(registrar))).body.error.code).toBe('LEGACY_ID_NOT_FOUND');
    expect((await app.http().get('/legacy-ids/nope/person/P-2').set(auth(registrar))).status).toBe(400);
    // The same file again: the same job, nothing new.
    const before = await count(`SELECT count(*) AS n FROM social_register.person`, []);
    const again = await upload('persons-asopd.csv', file);
    expect(again.id).toBe(job.id);
    expect(await count(`SELECT count(*) AS n FROM social_register.person`, [])).toBe(before);
  });

  it('links exact duplicates, reports conflicts and opens a review for a probable duplicate', async () => {
    const base = personRow('D-1', { last_name: "Дем'яненко", first_name: 'Ірина', patronymic: 'Олегівна', birth_date: '1971-03-09' });
    const rnokpp = base.split(';')[2]!;
    const first = await upload('persons-edarp-1.csv', Buffer.from([PERSON_HEADER, base].join('\n')));
    expect(first).toMatchObject({ status: 'completed', createdRows: 1 });
    const rows = [
      // The same РНОКПП from another system, the name typed with another apostrophe and case: linked.
      personRow('E-1', {
        source_system: 'edarp',
        rnokpp,
        last_name: 'ДЕМʼЯНЕНКО',
        first_name: 'Ірина',
        patronymic: 'Олегівна',
        birth_date: '09.03.1971',
      }),
      // The same РНОКПП with another birth date: a conflict.
      personRow('E-2', { source_system: 'edarp', rnokpp, last_name: "Дем'яненко", first_name: 'Ірина', birth_date: '1971-03-10' }),
      // Another РНОКПП, the same name and birth date: a probable duplicate.
      personRow('E-3', {
        source_system: 'edarp',
        last_name: 'Демяненко',
        first_name: 'ірина',
        patronymic: 'Олегівна',
        birth_date: '1971-03-09',
      }),
    ];
    // Two rows of one file with one new РНОКПП under two legacy ids: the first creates the person, the
    // second links to it (a second pass of the chunk), and the person is registered (journal, event) once.
    const twin = personRow('E-4', { source_system: 'edarp', last_name: 'Гнатюк', first_name: 'Орест', birth_date: '1990-01-20' });
    rows.push(twin, twin.replace('E-4', 'E-5'));
    const job = await upload('persons-edarp-2.csv', Buffer.from([PERSON_HEADER, ...rows].join('\n')));
    expect(job).toMatchObject({ status: 'completed', createdRows: 2, linkedRows: 2, rejectedRows: 1, reviewRows: 1 });
    const e4 = (await mapped('person', 'E-4', 'edarp')).rows[0].register_id;
    expect((await mapped('person', 'E-5', 'edarp')).rows[0].register_id).toBe(e4);
    expect(await count(`SELECT count(*) AS n FROM social_register.person_history WHERE person_id = $1`, [e4])).toBe(1);
    expect(
      await count(`SELECT count(*) AS n FROM social_register.outbox WHERE topic = $1 AND message_key = $2`, [PersonRegisteredV1.topic, e4]),
    ).toBe(1);
    const d1 = (await mapped('person', 'D-1')).rows[0].register_id;
    expect((await mapped('person', 'E-1', 'edarp')).rows[0].register_id).toBe(d1);
    expect((await mapped('person', 'E-2', 'edarp')).rows).toHaveLength(0);
    expect((await rejectReport(job.id)).map((r) => r[3])).toEqual(['PERSON_CONFLICT']);
    const e3 = (await mapped('person', 'E-3', 'edarp')).rows[0].register_id;
    const review = await sql.query(`SELECT candidate_ids, status FROM social_register.duplicate_review WHERE person_id = $1`, [e3]);
    expect(review.rows).toEqual([{ candidate_ids: [d1], status: 'open' }]);
  });

  it('imports households with members and statuses, each with its event', async () => {
    const persons = [personRow('H-P1'), personRow('H-P2', { sex: 'Ч' }), personRow('H-P3', { birth_date: '2015-05-05' })];
    await upload('persons-h.csv', Buffer.from([PERSON_HEADER, ...persons].join('\n')));
    const households = await upload(
      'households.csv',
      Buffer.from(
        [
          'source_system,legacy_id,katottg,address_text',
          'asopd,H-1,UA80000000000093317,"м. Київ, вул. Хрещатик, 1"',
          'asopd,H-2,UA1,',
        ].join('\n'),
      ),
    );
    expect(households).toMatchObject({ createdRows: 1, rejectedRows: 1 });
    const members = await upload(
      'members.csv.gz',
      gzipSync(
        Buffer.from(
          [
            'source_system;legacy_id;household_legacy_id;person_legacy_id;role;joined_on',
            'asopd;M-1;H-1;H-P1;head;2024-01-01',
            'asopd;M-2;H-1;H-P2;recipient;2024-01-01',
            'asopd;M-3;H-1;H-P3;dependant;2024-01-01',
            'asopd;M-4;H-1;NOBODY;dependant;2024-01-01',
            'asopd;M-5;H-1;H-P2;head;2024-01-01',
          ].join('\n'),
        ),
      ),
    );
    expect(members).toMatchObject({ createdRows: 3, rejectedRows: 2 });
    const report = await rejectReport(members.id);
    expect(report.map((r) => `${r[0]}:${r[3]}`)).toEqual(['5:REFERENCE_UNKNOWN', '6:MEMBER_CONFLICT']);
    const h1 = (await mapped('household', 'H-1')).rows[0].register_id;
    const events = await sql.query(`SELECT envelope FROM social_register.outbox WHERE topic = $1 AND message_key = $2`, [
      HouseholdChangedV1.topic,
      h1,
    ]);
    expect(events.rows).toHaveLength(1);
    expect(events.rows[0].envelope.payload).toMatchObject({ change: 'created', katottg: KYIV });
    expect(events.rows[0].envelope.payload.members).toHaveLength(3);

    const statuses = await upload(
      'statuses.csv',
      Buffer.from(
        [
          'source_system;legacy_id;person_legacy_id;type;valid_from;valid_to;document;document_date;group;origin_katottg',
          'asopd;S-1;H-P1;idp;2024-03-01;;0000-1234567890;2024-02-20;;UA14000000000000000',
          'asopd;S-2;H-P3;disability;2020-01-01;;МСЕК-1;2020-01-01;II;',
          'asopd;S-3;H-P1;idp;2024-05-01;;0000-1;2024-04-01;;UA14000000000000000',
          'asopd;S-4;H-P2;idp;2024-03-01;;;;;',
          'asopd;S-5;H-P2;alien;2024-03-01;;;;;',
        ].join('\n'),
      ),
    );
    expect(statuses).toMatchObject({ createdRows: 2, rejectedRows: 3 });
    expect((await rejectReport(statuses.id)).map((r) => `${r[0]}:${r[2]}:${r[3]}`)).toEqual(
      expect.arrayContaining(['4:valid_from:STATUS_OVERLAP', '5:document:REQUIRED', '6:type:ENUM_INVALID']),
    );
    const p1 = (await mapped('person', 'H-P1')).rows[0].register_id;
    const granted = await sql.query(`SELECT envelope FROM social_register.outbox WHERE topic = $1 AND message_key = $2`, [
      StatusGrantedV1.topic,
      p1,
    ]);
    expect(granted.rows[0].envelope.payload).toMatchObject({
      type: 'idp',
      validFrom: '2024-03-01',
      source: 'migration:asopd',
      details: { certificateNumber: '0000-1234567890', certificateDate: '2024-02-20', originKatottg: 'UA14000000000000000' },
    });
  });

  it('applies accounts and assignments only after a second person approves', async () => {
    await upload('persons-a.csv', Buffer.from([PERSON_HEADER, personRow('A-P1'), personRow('A-P2', { katottg: LVIV })].join('\n')));
    const accounts = await upload(
      'accounts.csv',
      Buffer.from(
        [
          'source_system;legacy_id;person_legacy_id;iban',
          'asopd;ACC-1;A-P1;UA213223130000026007233566001',
          'asopd;ACC-2;A-P2;UA213223130000026007233566002',
        ].join('\n'),
      ),
    );
    expect(accounts).toMatchObject({ status: 'awaiting_approval', rejectedRows: 1 });
    expect((await rejectReport(accounts.id)).map((r) => r[3])).toEqual(['IBAN_CHECKSUM']);
    const self = await app
      .http()
      .post(`/imports/${accounts.id}/approve`)
      .set(auth(tokenFor({ id: 'migration-operator', roles: [Role.Supervisor], territory: 'UA' })));
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('IMPORT_SAME_PERSON');
    expect((await app.http().post(`/imports/${accounts.id}/approve`).set(auth(supervisor))).status).toBe(200);
    expect(await settle(accounts.id)).toMatchObject({ status: 'completed', createdRows: 1, approvedBy: 'migration-supervisor' });
    const a1 = (await mapped('person', 'A-P1')).rows[0].register_id;
    const acc = await sql.query(`SELECT envelope FROM social_register.outbox WHERE topic = $1 AND message_key = $2`, [
      PersonPaymentAccountChangedV2.topic,
      a1,
    ]);
    expect(acc.rows[0].envelope.payload).toMatchObject({
      requestedBy: 'migration-operator',
      approvedBy: 'migration-supervisor',
      changeRequestId: accounts.id,
    });
    expect(JSON.stringify(acc.rows[0].envelope)).not.toContain('UA213223130000026007233566001');

    const assignments = await upload(
      'assignments.csv',
      Buffer.from(
        [
          'source_system;legacy_id;person_legacy_id;programme_code;period_from;period_to;monthly_amount;decision_number;decision_date',
          'asopd;CASE-1;A-P1;idp-living-allowance;2026-09-01;2027-02-28;2000,00;12/2026;2026-08-28',
          'asopd;CASE-2;A-P2;idp-living-allowance;2026-09-01;2027-02-28;12,345;;',
          'asopd;CASE-3;A-P2;idp-living-allowance;2026-09-02;2027-02-28;3000;;',
        ].join('\n'),
      ),
    );
    expect(assignments).toMatchObject({ status: 'awaiting_approval', rejectedRows: 2 });
    await app.http().post(`/imports/${assignments.id}/approve`).set(auth(supervisor)).expect(200);
    expect(await settle(assignments.id)).toMatchObject({ status: 'completed', createdRows: 1 });
    const migrated = await sql.query(`SELECT envelope FROM social_register.outbox WHERE topic = $1 AND message_key = $2`, [
      AssignmentMigratedV1.topic,
      a1,
    ]);
    expect(migrated.rows[0].envelope.payload).toMatchObject({
      sourceSystem: 'asopd',
      legacyCaseNumber: 'CASE-1',
      periodFrom: '2026-09',
      periodTo: '2027-02',
      monthlyAmountKopiyky: '200000',
      decision: { number: '12/2026', date: '2026-08-28' },
      approvedBy: 'migration-supervisor',
    });
  });

  it('refuses what is not an import: no file, unknown entity, a header of another entity, a regional token', async () => {
    const post = (q: string, body: Buffer | string, token = registrar) =>
      app.http().post(`/imports${q}`).set(auth(token)).set('content-type', 'text/csv').send(body);
    expect((await post('?fileName=x.csv&entity=persons', '')).body.error).toMatchObject({ code: 'IMPORT_FILE_MISSING', field: 'file' });
    expect((await post('?fileName=whatever.csv', 'a;b\n1;2')).body.error).toMatchObject({ code: 'IMPORT_ENTITY_INVALID', field: 'entity' });
    expect((await post('?entity=bogus', 'a')).status).toBe(400);
    const wrongHeader = await post('?fileName=statuses.csv', PERSON_HEADER + '\n' + personRow('W-1'));
    expect(wrongHeader.status).toBe(202);
    expect(await settle(wrongHeader.body.id)).toMatchObject({ status: 'failed' });
    const regionalRegistrar = tokenFor({ id: 'r', roles: [Role.Registrar], territory: 'UA80' });
    expect((await post('?fileName=persons.csv', PERSON_HEADER, regionalRegistrar)).body.error.code).toBe('IMPORT_FORBIDDEN');
  });

  it('a run stopped by an unexpected error says so on the job, keeps its phase, and resumes when the same file is sent again', async () => {
    // The database refuses one row's person (as a full disk or a bug would stop a chunk).
    await sql.query(`ALTER TABLE social_register.person ADD CONSTRAINT test_stop CHECK (last_name <> 'Зупинка') NOT VALID`);
    const file = Buffer.from([PERSON_HEADER, personRow('S-1'), personRow('S-2', { last_name: 'Зупинка' })].join('\n'));
    const post = () =>
      app.http().post('/imports?fileName=persons-stop.csv').set(auth(registrar)).set('content-type', 'text/csv').send(file);
    const first = await post();
    expect(first.status).toBe(202);
    const stopped = await expectEventually(
      async () => {
        const job = (await app.http().get(`/imports/${first.body.id}`).set(auth(registrar))).body;
        expect(job.error).toMatch(/^stopped: .*test_stop.*send the same file again/);
        return job;
      },
      { timeoutMs: 30_000 },
    );
    expect(stopped).toMatchObject({ status: 'applying', createdRows: 0 });
    await sql.query(`ALTER TABLE social_register.person DROP CONSTRAINT test_stop`);
    const again = await post();
    expect(again.body.id).toBe(first.body.id);
    expect(await settle(first.body.id)).toMatchObject({ status: 'completed', createdRows: 2, error: null });
  });

  it('a crash mid-import (kill -9) and a restart finish with every row once', async () => {
    const n = 3000;
    const rows = Array.from({ length: n }, (_, i) => personRow(`K-${i}`));
    const path = join(dir, 'persons-kill.csv');
    await writeFile(path, [PERSON_HEADER, ...rows].join('\n'));
    const cli = join(REPO_ROOT, 'services/social-register/dist/cli.js');
    const cliEnv = { ...process.env, ...env.env('social-register', { IMPORT_CHUNK_SIZE: '100' }), CLI_PROGRESS: '0' };
    const child = spawn(process.execPath, [cli, 'import', path], { env: cliEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Killed once some chunks are committed.
    await expectEventually(
      async () =>
        expect(
          await count(
            `SELECT count(*) AS n FROM social_register.import_job WHERE file_name = 'persons-kill.csv' AND chunks_applied >= 3`,
            [],
          ),
        ).toBe(1),
      { timeoutMs: 60_000, intervalMs: 20 },
    );
    child.kill('SIGKILL');
    await new Promise((ok) => child.once('exit', ok));
    const half = (
      await sql.query(`SELECT id, applied_through, status FROM social_register.import_job WHERE file_name = 'persons-kill.csv'`)
    ).rows[0];
    expect(half.status).toBe('applying');
    expect(half.applied_through).toBeLessThan(n + 1);
    const rerun = spawn(process.execPath, [cli, 'import', path], { env: cliEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    rerun.stdout.on('data', (d: Buffer) => (out += d.toString()));
    rerun.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((ok) => rerun.once('exit', ok));
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect(out).toContain(`job ${half.id} persons completed: ${n} rows, ${n} created`);
    expect(await count(`SELECT count(*) AS n FROM social_register.legacy_id_map WHERE legacy_id LIKE 'K-%'`, [])).toBe(n);
    const persons = await count(
      `SELECT count(*) AS n FROM social_register.person p JOIN social_register.legacy_id_map m ON m.register_id = p.id WHERE m.legacy_id LIKE 'K-%'`,
      [],
    );
    expect(persons).toBe(n);
    const events = await count(
      `SELECT count(*) AS n FROM social_register.outbox o JOIN social_register.legacy_id_map m ON m.register_id::text = o.message_key
        WHERE o.topic = $1 AND m.legacy_id LIKE 'K-%'`,
      [PersonRegisteredV1.topic],
    );
    expect(events).toBe(n);
    // Run once more: nothing new.
    const third = spawn(process.execPath, [cli, 'import', path], { env: cliEnv, stdio: 'ignore' });
    expect(await new Promise((ok) => third.once('exit', ok))).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM social_register.legacy_id_map WHERE legacy_id LIKE 'K-%'`, [])).toBe(n);
    expect(await readFile(path, 'utf8')).toContain('K-0');
  });
});
