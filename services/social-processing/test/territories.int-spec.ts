import { AssignmentGrantedV2, AssignmentTerminatedV2, PersonRegisteredV1, StatusGrantedV1, Role } from '@eisss/contracts';
import { expectEventually, tokenFor } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import { KATOTTG, ProcessingHarness, tokens } from './processing-harness';

/**
 * The official list of territories as data: an import is validated whole, waits for a second national
 * supervisor, writes a list version (history kept) and recalculates, in the approval's transaction, the
 * open IDP assignments whose community of origin it covers; the IDP rules decide on the list.
 */
describe('social-processing: the list of territories', () => {
  let h: ProcessingHarness;
  const ORIGIN = 'UA14020010000090276';
  const NEIGHBOUR = 'UA14020030000012345';
  const regional = tokenFor({ id: 'supervisor-r', roles: [Role.Supervisor], territory: 'UA80' });

  beforeAll(async () => {
    h = await ProcessingHarness.start([AssignmentGrantedV2, AssignmentTerminatedV2]);
  });

  afterAll(async () => {
    await h?.close();
  });

  const post = (body: object, token = tokens.national) =>
    h.http().post('/territories/imports').set('authorization', `Bearer ${token}`).send(body);
  const status = (katottg: string, on: string) =>
    h.http().get(`/territories?katottg=${katottg}&on=${on}`).set('authorization', `Bearer ${tokens.officer}`);
  const pendingImports = async () =>
    (
      await h.sql.query(
        `SELECT count(*)::int AS n FROM social_processing.dual_control_request WHERE action = 'territories.import' AND status = 'pending'`,
      )
    ).rows[0].n as number;
  const entries = async () => (await h.sql.query(`SELECT count(*)::int AS n FROM social_processing.territory_entry`)).rows[0].n as number;
  const importBody = (rows: object[], over: object = {}) => ({
    sourceOrder: 'наказ Мінрозвитку № 376',
    sourceOrderDate: '2025-02-28',
    sourceVersion: 'ред. 2026-02',
    rows,
    reason: 'перелік у редакції на лютий 2026',
    ...over,
  });

  async function importAndApprove(body: object): Promise<Record<string, unknown>> {
    const asked = await post(body);
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ action: 'territories.import', status: 'pending', requestedBy: 'national-1' });
    const approved = await h.approve(asked.body.id, tokens.national2);
    expect(approved.status).toBe(200);
    return approved.body;
  }

  /** A person of the register whose IDP certificate names the community of origin. */
  async function idpFrom(origin: string, birthDate = '1985-04-10'): Promise<string> {
    const personId = randomUUID();
    await h.publish(
      PersonRegisteredV1,
      {
        personId,
        rnokppMasked: '******1234',
        name: { lastName: 'Шевченко', firstName: 'Ірина', patronymic: null },
        birthDate,
        sex: 'female',
        deathDate: null,
        katottg: KATOTTG,
        registeredAt: '2026-01-01T10:00:00.000Z',
      },
      personId,
    );
    await h.publish(
      StatusGrantedV1,
      {
        statusId: randomUUID(),
        personId,
        type: 'idp',
        validFrom: '2024-01-01',
        validTo: null,
        source: 'ЄІБД ВПО',
        katottg: KATOTTG,
        details: { certificateNumber: '1400-0001', originKatottg: origin },
      },
      personId,
    );
    await expectEventually(
      async () => {
        const r = await h.sql.query(`SELECT count(*)::int AS n FROM social_processing.person_status WHERE person_id = $1`, [personId]);
        expect(r.rows[0].n).toBe(1);
      },
      { timeoutMs: 20000 },
    );
    return personId;
  }

  it('validates every row before anything is written (the field names the row and column)', async () => {
    const before = await entries();
    const bad = await post(
      importBody([
        { katottg: ORIGIN, kind: 'active_hostilities', startedOn: '2022-02-24' },
        { katottg: NEIGHBOUR, kind: 'active_hostilities', startedOn: '2022-02-30' },
      ]),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'TERRITORY_ROW_INVALID', field: 'rows[1].startedOn' });
    const dup = await post(
      importBody([
        { katottg: ORIGIN, kind: 'occupation', startedOn: '2022-02-24' },
        { katottg: ORIGIN, kind: 'occupation', startedOn: '2022-03-01' },
      ]),
    );
    expect(dup.body.error).toMatchObject({ code: 'TERRITORY_ROW_DUPLICATE', field: 'rows[1]' });
    const code = await post(importBody([{ katottg: 'UA1402', kind: 'occupation', startedOn: '2022-02-24' }]));
    expect(code.body.error).toMatchObject({ code: 'TERRITORY_KATOTTG_INVALID', field: 'rows[0].katottg' });
    const csv = await post({
      ...importBody([]),
      rows: undefined,
      csv: `Код КАТОТТГ;Найменування;Розділ;Дата виникнення;Дата завершення\n${ORIGIN};Громада;невідомий розділ;24.02.2022;`,
    });
    expect(csv.body.error).toMatchObject({ code: 'TERRITORY_ROW_INVALID', field: 'csv:line 2.kind' });
    expect(await pendingImports()).toBe(0);
    expect(await entries()).toBe(before);
  });

  it('needs a national supervisor to ask and another to approve', async () => {
    expect(
      (await post(importBody([{ katottg: ORIGIN, kind: 'active_hostilities', startedOn: '2022-02-24' }]), tokens.officer)).status,
    ).toBe(403);
    const regionalAsk = await post(importBody([{ katottg: ORIGIN, kind: 'active_hostilities', startedOn: '2022-02-24' }]), regional);
    expect(regionalAsk.status).toBe(403);
    expect(regionalAsk.body.error.code).toBe('NATIONAL_SCOPE_REQUIRED');
    const asked = await post(
      importBody([{ katottg: ORIGIN, name: 'Громада', kind: 'active_hostilities', startedOn: '2022-02-24', includedOn: '2022-12-22' }]),
    );
    expect(asked.status).toBe(202);
    const again = await post(importBody([{ katottg: NEIGHBOUR, kind: 'active_hostilities', startedOn: '2022-02-24' }]));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DUAL_CONTROL_ALREADY_PENDING');
    const self = await h.approve(asked.body.id, tokens.national);
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('SECOND_PERSON_REQUIRED');
    expect(await entries()).toBe(4); // the seed only: nothing written before the approval
    const approved = await h.approve(asked.body.id, tokens.national2);
    expect(approved.status).toBe(200);
    const listed = await status(ORIGIN, '2026-03-10');
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({
      status: 'listed',
      paidInMonth: true,
      listVersion: 2,
      row: {
        katottg: ORIGIN,
        kind: 'active_hostilities',
        endedOn: null,
        source: { order: 'наказ Мінрозвитку № 376', orderDate: '2025-02-28' },
      },
    });
    const imports = await h.http().get('/territories/imports').set('authorization', `Bearer ${tokens.officer}`);
    expect(imports.body).toMatchObject({
      total: 2,
      items: [
        { listVersion: 2, requestedBy: 'national-1', approvedBy: 'national-2', rowCount: 1, format: 'json' },
        { listVersion: 1, format: 'seed' },
      ],
    });
    const audit = await h.sql.query(`SELECT actor_id FROM social_processing_audit.audit_log WHERE action = 'territories.imported'`);
    expect(audit.rows.map((r) => r.actor_id)).toEqual(['national-2']);
  });

  it('refuses an application whose community of origin is not on the list', async () => {
    const person = await idpFrom('UA71020010000037786'); // Cherkasy oblast: not on the list
    const res = await h.submit(h.application(person));
    expect(res.status).toBe(201);
    await h.passVerification(res.body.id);
    await h.decideByTwo(res.body.id, 'refused');
    const app = await h.getApplication(res.body.id);
    expect(app.decisions[0].status).toBe('refused');
    expect(app.decisions[0].reasons.map((r: { code: string }) => r.code)).toEqual(['ORIGIN_NOT_ELIGIBLE']);
    expect(JSON.stringify(app.decisions[0].explanation)).toContain('"listStatus":"not_listed"');
  });

  it('an import that sets an end date for the origin keeps the assignment 3 more months, then stops it (in the approval)', async () => {
    const person = await idpFrom(ORIGIN);
    const other = await idpFrom(NEIGHBOUR); // covered by the oblast row of the seed: not touched by the import
    const granted: Record<string, string> = {};
    for (const p of [person, other]) {
      const res = await h.submit(h.application(p));
      expect(res.status).toBe(201);
      await h.passVerification(res.body.id);
      await h.decideByTwo(res.body.id);
      const e = await expectEventually(
        () => {
          const x = h.published(AssignmentGrantedV2, (g) => g.payload.assignment.applicationId === res.body.id)[0];
          expect(x).toBeDefined();
          return x!;
        },
        { timeoutMs: 20000 },
      );
      expect(e.payload.assignment.months.map((m) => m.month)).toEqual(['2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08']);
      granted[p] = e.payload.assignment.assignmentId;
    }
    const facts = await h.sql.query(`SELECT facts->'originTerritory'->>'katottg' AS k FROM social_processing.assignment WHERE id = $1`, [
      granted[person],
    ]);
    expect(facts.rows[0].k).toBe(ORIGIN);

    // The ministry sets the end date 2026-04-20 (M = 2026-04): paid through 2026-07, stopped from 2026-08.
    const result = await importAndApprove(
      importBody([{ katottg: ORIGIN, name: 'Громада', kind: 'active_hostilities', startedOn: '2022-02-24', endedOn: '2026-04-20' }], {
        sourceVersion: 'ред. 2026-05',
      }),
    );
    expect(result).toMatchObject({
      status: 'executed',
      result: { listVersion: 3, recalculation: { checked: 1, terminated: 1, assignmentIds: [granted[person]] } },
    });

    const terminated = await expectEventually(
      () => {
        const x = h.published(AssignmentTerminatedV2, (t) => t.payload.assignment.assignmentId === granted[person])[0];
        expect(x).toBeDefined();
        return x!;
      },
      { timeoutMs: 20000 },
    );
    expect(terminated.payload.reason?.code).toBe('TERRITORY_HOSTILITIES_ENDED');
    expect(terminated.payload.reason?.text).toContain('наказ Мінрозвитку № 376');
    expect(terminated.payload.assignment).toMatchObject({ periodTo: '2026-07', status: 'terminated' });
    expect(terminated.payload.assignment.months.map((m) => m.month)).toEqual(['2026-03', '2026-04', '2026-05', '2026-06', '2026-07']);
    expect(terminated.payload.differences).toEqual([
      { month: '2026-08', previousKopiyky: '200000', newKopiyky: '0', differenceKopiyky: '-200000' },
    ]);
    const version = await h.sql.query(
      `SELECT created_by, approved_by FROM social_processing.assignment_version WHERE assignment_id = $1 AND version = 2`,
      [granted[person]],
    );
    expect(version.rows[0]).toEqual({ created_by: 'national-1', approved_by: 'national-2' });
    const explanation = await h.sql.query(`SELECT explanation FROM social_processing.assignment WHERE id = $1`, [granted[person]]);
    expect(JSON.stringify(explanation.rows[0].explanation)).toContain('idp.territory.end-plus-3');

    // The neighbour's assignment is untouched; the list answers by date, with history.
    expect((await h.sql.query(`SELECT version, status FROM social_processing.assignment WHERE id = $1`, [granted[other]])).rows[0]).toEqual(
      { version: 1, status: 'active' },
    );
    expect((await status(ORIGIN, '2026-04-20')).body).toMatchObject({ status: 'listed', listVersion: 3 });
    const after = (await status(ORIGIN, '2026-08-01')).body;
    expect(after).toMatchObject({
      status: 'ended',
      paidInMonth: false,
      row: { endedOn: '2026-04-20', source: { version: 'ред. 2026-05' } },
    });
    expect(
      after.history
        .filter((r: { katottg: string }) => r.katottg === ORIGIN)
        .map((r: { listVersion: number; endedOn: string | null; supersededBy: string | null }) => [
          r.listVersion,
          r.endedOn,
          r.supersededBy !== null,
        ]),
    ).toEqual([
      [3, '2026-04-20', false],
      [2, null, true],
    ]);
    expect((await status(ORIGIN, '2026-07-15')).body.paidInMonth).toBe(true);
  });
});
