import { PersonRegisteredV1, Role } from '@eisss/contracts';
import { TestEnvironment } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditLog } from '../src/auth/audit.service';
import { TransactionHost, Transactional } from '../src/db/transaction-host';
import { OutboxWriter } from '../src/messaging/outbox.service';

/**
 * The ambient transaction against a real Postgres: a `@Transactional()` use case, the repositories
 * it calls, the outbox writer and the audit log all write in one transaction with no `tx` passed.
 */
describe('TransactionHost (ambient transactions)', () => {
  const schema = 'social_processing';
  let env: TestEnvironment;
  let ds: DataSource;
  let host: TransactionHost;
  const outbox = new OutboxWriter(schema, 'social-processing');
  const audit = new AuditLog(schema);
  const principal = { id: 'officer-tx', roles: [Role.Officer], territory: 'UA' };

  /** A repository as services write them: it takes no transaction, it asks the host. */
  class NotesRepository {
    constructor(private readonly db: TransactionHost) {}
    async insert(id: string): Promise<void> {
      await this.db.query(`INSERT INTO ${schema}.tx_notes (id) VALUES ($1)`, [id]);
    }
    async count(id: string): Promise<number> {
      const row = await this.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.tx_notes WHERE id = $1`, [id]);
      return row!.n;
    }
    backendPid(): Promise<{ pid: number } | undefined> {
      return this.db.one<{ pid: number }>(`SELECT pg_backend_pid() AS pid`);
    }
  }

  class NotesUseCase {
    constructor(private readonly notes: NotesRepository) {}
    @Transactional()
    async write(id: string, fail: boolean): Promise<void> {
      await this.notes.insert(id);
      await outbox.append(PersonRegisteredV1, PersonRegisteredV1.fixture, { aggregateId: id });
      await audit.recordAction(principal, 'wrote', 'note', [id]);
      if (fail) throw new Error('a rule failed after everything was written');
    }
    @Transactional()
    async twoPids(): Promise<[number, number, number]> {
      const a = await this.notes.backendPid();
      const b = await this.nested();
      const c = await this.notes.backendPid();
      return [a!.pid, b, c!.pid];
    }
    @Transactional()
    private async nested(): Promise<number> {
      return (await this.notes.backendPid())!.pid;
    }
  }

  beforeAll(async () => {
    env = await TestEnvironment.create();
    ds = new DataSource({ type: 'postgres', url: env.databaseUrl('social-processing'), schema });
    await ds.initialize();
    await ds.query(`CREATE TABLE IF NOT EXISTS ${schema}.tx_notes (id text NOT NULL)`);
    host = TransactionHost.register(new TransactionHost(ds));
  });

  afterAll(async () => {
    host?.onModuleDestroy();
    await ds?.destroy();
    await env?.destroy();
  });

  const written = async (id: string) => {
    const [r] = (await ds.query(
      `SELECT (SELECT count(*) FROM ${schema}.tx_notes WHERE id = $1)::int AS notes,
              (SELECT count(*) FROM ${schema}.outbox WHERE message_key = $1)::int AS events,
              (SELECT count(*) FROM ${schema}_audit.audit_log WHERE subject_id = $1)::int AS trail`,
      [id],
    )) as { notes: number; events: number; trail: number }[];
    return r;
  };

  it('commits the repository row, the event and the audit row together', async () => {
    const id = randomUUID();
    await new NotesUseCase(new NotesRepository(host)).write(id, false);
    expect(await written(id)).toEqual({ notes: 1, events: 1, trail: 1 });
  });

  it('rolls all three back when the use case fails', async () => {
    const id = randomUUID();
    await expect(new NotesUseCase(new NotesRepository(host)).write(id, true)).rejects.toThrow('a rule failed');
    expect(await written(id)).toEqual({ notes: 0, events: 0, trail: 0 });
  });

  it('joins the open transaction in a nested use case (one connection throughout)', async () => {
    const [a, b, c] = await new NotesUseCase(new NotesRepository(host)).twoPids();
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('refuses an event outside a transaction', async () => {
    await expect(outbox.append(PersonRegisteredV1, PersonRegisteredV1.fixture, { aggregateId: randomUUID() })).rejects.toThrow(
      /must run inside a transaction/,
    );
  });

  it('opens its own transaction with propagation "new": kept when the outer one rolls back', async () => {
    const outer = randomUUID();
    const inner = randomUUID();
    const notes = new NotesRepository(host);
    await expect(
      host.run(async () => {
        await notes.insert(outer);
        await host.run(() => notes.insert(inner), { propagation: 'new' });
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    expect(await notes.count(outer)).toBe(0);
    expect(await notes.count(inner)).toBe(1);
  });
});
