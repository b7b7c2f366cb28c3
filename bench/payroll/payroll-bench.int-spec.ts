import { TestEnvironment } from '@eisss/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTreasury, type Treasury } from '../../services/payments-treasury/src/standalone';

// The bench itself (plain CommonJS): the same generation and the same accrue → approve → export → file path.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bench = require('./payroll-bench.js') as {
  generate(db: Treasury['dataSource'], n: number, pii: Treasury['pii']): Promise<void>;
  accrueAndExport(
    t: Treasury,
    out: string,
  ): Promise<{
    payroll: { lineCount: number; totalKopiyky: string };
    files: { path: string; channel: string; count: number; sumKopiyky: bigint }[];
  }>;
  validatePain001Files(files: { path: string; channel: string }[]): Promise<string[]>;
};

const N = 2000;

/** bench/payroll at a small N: the files it writes are the treasury's files, and a bank accepts them (pain.001.001.09 XSD). */
describe('payroll bench files', () => {
  let env: TestEnvironment;
  let t: Treasury;
  let out: string;

  beforeAll(async () => {
    env = await TestEnvironment.create({ topics: false });
    out = await mkdtemp(join(tmpdir(), 'treasury-bench-'));
    t = await openTreasury({ ...process.env, DATABASE_URL: env.databaseUrl('payments-treasury'), NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  });

  afterAll(async () => {
    await t?.close();
    await rm(out, { recursive: true, force: true });
    await env?.destroy();
  });

  it(`writes bench-sized batch files (${N} assignments) that validate against pain.001.001.09 when produced by the bench's code path`, async () => {
    await bench.generate(t.dataSource, N, t.pii);
    const r = await bench.accrueAndExport(t, out);
    expect(r.payroll.lineCount).toBe(N);
    const bank = r.files.filter((f) => f.channel === 'bank');
    expect(bank.length).toBeGreaterThan(1);
    expect(r.files.reduce((n, f) => n + f.count, 0)).toBe(N);
    expect(await bench.validatePain001Files(r.files)).toEqual([]);
    const [{ sum }] = await t.dataSource.query(`SELECT sum(amount_kopiyky)::text AS sum FROM payments_treasury.payment`);
    expect(r.files.reduce((s, f) => s + BigInt(f.sumKopiyky), 0n).toString()).toBe(sum);
    // Every file write was audited as a read of its recipients.
    const [{ n }] = await t.dataSource.query(
      `SELECT count(DISTINCT subject_id)::int AS n FROM payments_treasury_audit.audit_log WHERE action = 'read' AND subject_type = 'person'`,
    );
    expect(n).toBe(N);
  });
});
