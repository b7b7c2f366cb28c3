import { Role } from '@eisss/contracts';
import { TestEnvironment } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditLog } from '../src/auth/audit.service';
import type { Principal } from '../src/auth/principal';
import { dualControlTablesUp } from '../src/dual-control/dual-control.sql';
import { DualControl, DualControlErrorCode } from '../src/dual-control/dual-control.service';
import { DomainError } from '../src/errors/domain-error';
import type { PlatformOptions } from '../src/platform.tokens';
import { TransactionHost } from '../src/db/transaction-host';

/** The two-person rule against a real Postgres, on the e_budget schema of a fresh database. */
describe(DualControl.name, () => {
  const schema = 'e_budget';
  let env: TestEnvironment;
  let ds: DataSource;
  let dual: DualControl;
  let host: TransactionHost;
  let failNext = false;

  const maker: Principal = { id: 'treasurer-a', roles: [Role.Treasurer], territory: 'UA46' };
  const checker: Principal = { id: 'treasurer-b', roles: [Role.Treasurer], territory: 'UA46' };
  const otherRegion: Principal = { id: 'treasurer-c', roles: [Role.Treasurer], territory: 'UA80' };
  const officer: Principal = { id: 'officer-d', roles: [Role.Officer], territory: 'UA' };
  const national: Principal = { id: 'supervisor-n', roles: [Role.Supervisor], territory: 'UA' };
  const national2: Principal = { id: 'supervisor-m', roles: [Role.Supervisor], territory: 'UA' };
  const regionalSupervisor: Principal = { id: 'supervisor-r', roles: [Role.Supervisor], territory: 'UA46' };
  const KATOTTG = 'UA46060250010015970';

  async function codeOf(p: Promise<unknown>): Promise<string> {
    try {
      await p;
    } catch (e) {
      if (e instanceof DomainError) return e.code;
      throw e;
    }
    throw new Error('expected a DomainError');
  }

  const effects = async (subject: string) =>
    ((await ds.query(`SELECT count(*)::int AS n FROM ${schema}.dc_test_effect WHERE subject = $1`, [subject])) as { n: number }[])[0]!.n;
  const audit = async (subject: string) =>
    (await ds.query(`SELECT actor_id, action FROM ${schema}_audit.audit_log WHERE subject_id = $1 ORDER BY id`, [subject])) as {
      actor_id: string;
      action: string;
    }[];

  beforeAll(async () => {
    env = await TestEnvironment.create({ topics: false });
    ds = new DataSource({ type: 'postgres', url: env.databaseUrl('e-budget'), schema });
    await ds.initialize();
    const [{ exists }] = (await ds.query(`SELECT to_regclass('${schema}.dual_control_request') IS NOT NULL AS exists`)) as {
      exists: boolean;
    }[];
    if (!exists) for (const s of dualControlTablesUp(schema)) await ds.query(s);
    await ds.query(`CREATE TABLE ${schema}.dc_test_effect (subject text NOT NULL, approver text NOT NULL)`);
    host = new TransactionHost(ds);
    dual = new DualControl(host, new AuditLog(schema), { schema, service: 'e-budget', entities: [] } as PlatformOptions);
    dual.register('test.pay', {
      roles: [Role.Treasurer],
      execute: async (req, approver) => {
        await host.query(`INSERT INTO ${schema}.dc_test_effect (subject, approver) VALUES ($1, $2)`, [req.subjectId, approver.id]);
        if (failNext) {
          failNext = false;
          throw DomainError.conflict('TEST_REFUSED', 'the act cannot be carried out now');
        }
        return { paid: req.payload.amount };
      },
    });
    dual.register('test.settings', { roles: [Role.Supervisor], nationalOnly: true, execute: async () => ({ applied: true }) });
    dual.register('test.suspend', { roles: [Role.Officer], approverRoles: [Role.Supervisor], execute: async () => ({ suspended: true }) });
  });

  afterAll(async () => {
    await ds?.destroy();
    await env?.destroy();
  });

  const ask = (p: Principal, subjectId: string, action = 'test.pay', katottg: string | null = KATOTTG) =>
    host.run(() =>
      dual.request(p, {
        action,
        subjectType: 'payment',
        subjectId,
        katottg,
        payload: { amount: '100' },
        evidenceRef: 'лист №1',
        reason: 'returned by the bank',
      }),
    );

  it('keeps a request pending, refuses a second one for the same act and audits the requester', async () => {
    const subject = randomUUID();
    const req = await ask(maker, subject);
    expect(req).toMatchObject({
      status: 'pending',
      requestedBy: maker.id,
      decidedBy: null,
      evidenceRef: 'лист №1',
      payload: { amount: '100' },
    });
    expect(await codeOf(ask(checker, subject))).toBe(DualControlErrorCode.DUAL_CONTROL_ALREADY_PENDING);
    expect(await effects(subject)).toBe(0);
    expect(await audit(subject)).toEqual([{ actor_id: maker.id, action: 'requested:test.pay' }]);
  });

  it('refuses the requester as approver, an approver without the role, and one outside the territory; nothing is carried out', async () => {
    const subject = randomUUID();
    const req = await ask(maker, subject);
    expect(await codeOf(dual.approve(maker, req.id, null))).toBe(DualControlErrorCode.SECOND_PERSON_REQUIRED);
    expect(await codeOf(dual.reject(maker, req.id, 'withdrawn'))).toBe(DualControlErrorCode.SECOND_PERSON_REQUIRED);
    expect(await codeOf(dual.approve(officer, req.id, null))).toBe(DualControlErrorCode.DUAL_CONTROL_ROLE_REQUIRED);
    expect(await codeOf(dual.approve(otherRegion, req.id, null))).toBe(DualControlErrorCode.DUAL_CONTROL_NOT_FOUND);
    expect(await effects(subject)).toBe(0);
    expect((await dual.get(checker, req.id)).status).toBe('pending');
  });

  it('carries the act out on a second person’s approval, once, with both identities recorded', async () => {
    const subject = randomUUID();
    const req = await ask(maker, subject);
    const done = await dual.approve(checker, req.id, 'checked the statement');
    expect(done).toMatchObject({
      status: 'executed',
      requestedBy: maker.id,
      decidedBy: checker.id,
      decisionNote: 'checked the statement',
      result: { paid: '100' },
    });
    expect(await effects(subject)).toBe(1);
    expect(await codeOf(dual.approve(checker, req.id, null))).toBe(DualControlErrorCode.DUAL_CONTROL_NOT_PENDING);
    expect(await effects(subject)).toBe(1);
    expect(await audit(subject)).toEqual([
      { actor_id: maker.id, action: 'requested:test.pay' },
      { actor_id: checker.id, action: 'approved:test.pay' },
    ]);
    const [row] = (await ds.query(`SELECT decided_by, requested_by FROM ${schema}.dual_control_request WHERE id = $1`, [req.id])) as {
      decided_by: string;
      requested_by: string;
    }[];
    expect(row).toEqual({ decided_by: checker.id, requested_by: maker.id });
  });

  it('leaves the request pending and writes nothing when the act fails at approval', async () => {
    const subject = randomUUID();
    const req = await ask(maker, subject);
    failNext = true;
    expect(await codeOf(dual.approve(checker, req.id, null))).toBe('TEST_REFUSED');
    expect(await effects(subject)).toBe(0);
    expect((await dual.get(checker, req.id)).status).toBe('pending');
    expect((await dual.approve(checker, req.id, null)).status).toBe('executed');
  });

  it('closes a rejected request without carrying it out, and a new request may follow', async () => {
    const subject = randomUUID();
    const req = await ask(maker, subject);
    expect(await dual.reject(checker, req.id, 'wrong account')).toMatchObject({
      status: 'rejected',
      decidedBy: checker.id,
      decisionNote: 'wrong account',
    });
    expect(await effects(subject)).toBe(0);
    expect((await ask(maker, subject)).status).toBe('pending');
  });

  it('needs the national territory for acts of national scope, on both sides', async () => {
    const subject = `programme-${randomUUID()}`;
    expect(await codeOf(ask(regionalSupervisor, subject, 'test.settings', null))).toBe(DualControlErrorCode.NATIONAL_SCOPE_REQUIRED);
    const req = await ask(national, subject, 'test.settings', null);
    expect(await codeOf(dual.approve(regionalSupervisor, req.id, null))).toBe(DualControlErrorCode.DUAL_CONTROL_NOT_FOUND);
    expect((await dual.approve(national2, req.id, null)).result).toEqual({ applied: true });
  });

  it('lists only what the principal’s territory covers', async () => {
    const subject = randomUUID();
    await ask(maker, subject);
    expect((await dual.list(checker, { subjectId: subject, limit: 10, offset: 0 })).total).toBe(1);
    expect((await dual.list(otherRegion, { subjectId: subject, limit: 10, offset: 0 })).total).toBe(0);
  });

  it('takes the approver from approverRoles when the act names them: an officer asks, only a supervisor approves', async () => {
    const subject = randomUUID();
    const officerA: Principal = { id: 'officer-a', roles: [Role.Officer], territory: 'UA46' };
    const officerB: Principal = { id: 'officer-b', roles: [Role.Officer], territory: 'UA46' };
    expect(await codeOf(ask(regionalSupervisor, subject, 'test.suspend'))).toBe(DualControlErrorCode.DUAL_CONTROL_ROLE_REQUIRED);
    const req = await ask(officerA, subject, 'test.suspend');
    expect(await codeOf(dual.approve(officerB, req.id, null))).toBe(DualControlErrorCode.DUAL_CONTROL_ROLE_REQUIRED);
    expect((await dual.approve(regionalSupervisor, req.id, null)).result).toEqual({ suspended: true });
  });

  it('refuses an unknown act', async () => {
    expect(await codeOf(ask(maker, randomUUID(), 'test.unknown'))).toBe(DualControlErrorCode.DUAL_CONTROL_ACTION_UNKNOWN);
  });
});
