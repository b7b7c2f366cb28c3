import { Role } from '@eisss/contracts';
import type { ServiceName } from '@eisss/contracts';
import { withRnokppChecksum } from '@eisss/platform';
import { ServiceProcess, TestEnvironment, expectEventually, infraServices, tokenFor } from '@eisss/testing';

/**
 * An audit trail nobody can edit (issue 10, item 5): each service's trail lives in `<schema>_audit`,
 * owned by `eisss_audit`; the service role may only INSERT and SELECT there. And a citizen's
 * "who looked at my data" covers the reads of every service, not only the register's.
 */
describe('audit trail', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await TestEnvironment.create();
  });
  afterAll(async () => {
    await env?.destroy();
  });

  it.each(infraServices.map((s) => [s.name, s.schema]))(
    '%s may append to its trail but not change, remove or drop it',
    async (service, schema) => {
      const sql = await env.sql(service as ServiceName);
      const trail = `${schema}_audit.audit_log`;
      const refused = async (statement: string) => {
        const err = await sql.query(statement).then(
          () => null,
          (e: { code?: string; message: string }) => e,
        );
        expect({ statement, code: err?.code }).toEqual({ statement, code: '42501' }); // insufficient_privilege
      };
      try {
        const { rows } = await sql.query<{ id: string }>(
          `INSERT INTO ${trail} (actor_id, actor_roles, action, subject_type, subject_id) VALUES ('tester', '{officer}', 'read', 'person', 'p-1') RETURNING id`,
        );
        expect(rows).toHaveLength(1);
        await refused(`UPDATE ${trail} SET actor_id = 'someone-else' WHERE id = ${rows[0]!.id}`);
        await refused(`DELETE FROM ${trail} WHERE id = ${rows[0]!.id}`);
        await refused(`TRUNCATE ${trail}`);
        await refused(`DROP TABLE ${trail}`);
        await refused(`ALTER TABLE ${trail} DISABLE TRIGGER ALL`);
        await refused(`DROP SCHEMA ${schema}_audit CASCADE`);
        await refused(`CREATE TABLE ${schema}_audit.shadow (id int)`);
        const { rows: still } = await sql.query(`SELECT actor_id FROM ${trail} WHERE id = $1`, [rows[0]!.id]);
        expect(still).toEqual([{ actor_id: 'tester' }]);
        // Nothing of the trail is left in the service's own schema, where the service could edit it.
        const { rows: own } = await sql.query(
          `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'audit_log'`,
          [schema],
        );
        expect(own).toEqual([]);
      } finally {
        await sql.end();
      }
    },
  );

  describe('who looked at my data, across services', () => {
    let register: ServiceProcess;
    let processing: ServiceProcess;
    const registrar = tokenFor({ id: 'registrar-kyiv', roles: [Role.Registrar], territory: 'UA80' });
    const officer = tokenFor({ id: 'officer-kyiv', roles: [Role.Officer], territory: 'UA80' });

    beforeAll(async () => {
      [register, processing] = await Promise.all([
        ServiceProcess.start('social-register', env.env('social-register')),
        ServiceProcess.start('social-processing', env.env('social-processing')),
      ]);
    });
    afterAll(async () => {
      await Promise.all([register?.stop(), processing?.stop()]);
    });

    it("shows the person a read by processing's officer, with the service, once", async () => {
      const days = 32_800; // the РНОКПП's first five digits: days since 31.12.1899
      const birthDate = new Date(Date.UTC(1899, 11, 31) + days * 86_400_000).toISOString().slice(0, 10);
      const created = await register.request('POST', '/persons', {
        token: registrar,
        body: {
          rnokpp: withRnokppChecksum(`${days}1234`),
          lastName: 'Бондар',
          firstName: 'Олена',
          birthDate,
          sex: 'female',
          katottg: 'UA80000000000093317',
        },
      });
      expect(created.body).toEqual(expect.objectContaining({ id: expect.any(String) }));
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      // Processing learns the person from the register's event, then its officer opens the card.
      await expectEventually(async () => expect((await processing.request('GET', `/persons/${id}`, { token: officer })).status).toBe(200));
      const log = await expectEventually(async () => {
        const res = await register.request('GET', `/persons/${id}/access-log`, { token: officer });
        expect(res.status).toBe(200);
        const fromProcessing = (res.body.items as { service: string; actorId: string; purpose: string }[]).filter(
          (i) => i.service === 'social-processing',
        );
        expect(fromProcessing.length).toBeGreaterThan(0);
        return res.body.items as { service: string; actorId: string; purpose: string | null; action: string }[];
      });
      const fromProcessing = log.filter((i) => i.service === 'social-processing');
      expect(log.filter((i) => i.service === 'social-register' && /^change request/.test(i.purpose ?? ''))).toEqual([]);
      expect(fromProcessing[0]).toEqual(
        expect.objectContaining({ actorId: 'officer-kyiv', action: 'read', purpose: 'processing person card' }),
      );
      // One processing read per successful GET (the poll above may have read more than once), each exactly once.
      const sql = await env.sql('social-processing');
      try {
        const { rows } = await sql.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM social_processing_audit.audit_log WHERE subject_id = $1 AND action = 'read'`,
          [id],
        );
        expect(fromProcessing).toHaveLength(rows[0]!.n);
      } finally {
        await sql.end();
      }
    });

    it('audits the reads of a change request, which carries the person data', async () => {
      const days = 32_900;
      const birthDate = new Date(Date.UTC(1899, 11, 31) + days * 86_400_000).toISOString().slice(0, 10);
      const created = await register.request('POST', '/persons', {
        token: registrar,
        body: {
          rnokpp: withRnokppChecksum(`${days}4321`),
          lastName: 'Ткаченко',
          firstName: 'Ірина',
          birthDate,
          sex: 'female',
          katottg: 'UA80000000000093317',
        },
      });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const cr = await register.request('POST', `/persons/${id}/change-requests`, {
        token: registrar,
        body: { changes: { lastName: 'Ткачук' }, reason: 'шлюб', source: 'свідоцтво про шлюб' },
      });
      expect(cr.status).toBe(201);
      expect((await register.request('GET', `/change-requests/${cr.body.id}`, { token: officer })).status).toBe(200);
      const list = await register.request('GET', `/change-requests?personId=${id}`, { token: officer });
      expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([cr.body.id]);
      const log = await register.request('GET', `/persons/${id}/access-log`, { token: officer });
      const purposes = (log.body.items as { actorId: string; purpose: string; service: string }[])
        .filter((i) => i.actorId === 'officer-kyiv')
        .map((i) => i.purpose);
      expect(purposes).toEqual(expect.arrayContaining([`change request ${cr.body.id}`, 'change request list']));
    });
  });
});
