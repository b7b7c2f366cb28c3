#!/usr/bin/env node
/**
 * Payroll bench: time to accrue and export N assignments with the treasury's own application
 * services, beside the bare SQL INSERT … SELECT of the same rows on the same machine.
 *
 *   npx tsc -b tsconfig.build.json            # the bench runs the built dist
 *   node bench/payroll/payroll-bench.js                    # 100 000
 *   node bench/payroll/payroll-bench.js 100000 1000000     # several sizes
 *   node bench/payroll/payroll-bench.js --validate 2000     # small N: every bank file is also validated
 *                                                          # against pain.001.001.09.xsd (xmllint-wasm)
 *
 * For each size it creates its own database `eisss_bench_payroll` (scripts/infra/postgres.js), runs the
 * treasury migrations, generates assignments set-based (generate_series), measures, and drops the
 * database and the written files at the end (also on failure). It prints, per size, the ratios of
 * issue 13 (accrue / bare; accrue + approve + export / bare) and the peak memory of this process
 * (RSS and V8 heap, sampled every 200 ms during the measured path, beside the level before it):
 * the path streams, so the peak does not grow with N.
 *   PGADMIN_URL   admin connection (default postgres://postgres@127.0.0.1:5432/postgres)
 *   BENCH_KEEP=1  leave the database after the run (to EXPLAIN its statements); the next run drops it first
 *
 * The steps are exported (generate, accrueAndExport, validatePain001Files) so that the treasury's
 * test suite produces a bench-sized batch file by the same code path and validates it.
 */
'use strict';
require('reflect-metadata');
const { join } = require('node:path');
const { mkdtemp, rm, stat, readdir } = require('node:fs/promises');
const { createWriteStream } = require('node:fs');
const { once } = require('node:events');
const { tmpdir } = require('node:os');
const { randomUUID } = require('node:crypto');

const { existsSync, readFileSync } = require('node:fs');

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'services/payments-treasury/dist');
/** The shared standards beside the clone (as SHARED_DIR of @eisss/testing). */
const SHARED = [join(ROOT, '..', 'shared'), '/work/shared'].find((d) => existsSync(d)) || join(ROOT, '..', 'shared');
const PAIN001_XSD = join(SHARED, 'standards', 'iso20022', 'pain.001.001.09.xsd');

/** BENCH_TRACE=1: print the slowest statements of the measured steps. */
const trace = process.env.BENCH_TRACE === '1' ? require('../sql-profile').sqlProfile({ keyLength: 90 }) : null;

const DB = process.env.BENCH_DB || 'eisss_bench_payroll';
/** Files downloaded at the same time (BENCH_DOWNLOADS, default 2). */
const DOWNLOADS = Math.max(1, Number(process.env.BENCH_DOWNLOADS) || 2);
const PROGRAMME = 'bench-programme';
const MONTH = '2026-11';
const { Role } = require('@eisss/contracts');
const principal = { id: 'bench', roles: [Role.Treasurer], territory: 'UA' }; // a national treasurer

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const fmt = (x) => `${(x / 1000).toFixed(2)} s`;
const mib = (b) => `${(b / 1048576).toFixed(0)} MiB`;

/** Samples this process's RSS and V8 heap every `everyMs` while running; `stop()` answers the peaks. */
function memorySampler(everyMs = 200) {
  const peak = { rss: 0, heapUsed: 0, samples: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.samples++;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

const migrate = (url) => require('../migrate').migrateService(DIST, url);

/**
 * N active assignments of one programme with the month's amount, each with the account holder the
 * register approved (name and РНОКПП; 1 % with a passport number instead); 2 % by post; 1 % with an
 * open overpayment. The rows are set-based; the IBAN and the holder's identifiers are then encrypted
 * under the treasury's data key in batches, as the assignment consumer stores them (D13).
 */
async function generate(db, n, pii) {
  const { accountColumns } = require(join(DIST, 'pii/treasury-pii.js'));
  await db.query(
    `CREATE TABLE payments_treasury.bench_plain AS
     SELECT i, gen_random_uuid() AS assignment_id,
            CASE WHEN i % 50 = 0 THEN NULL ELSE 'UA' || lpad((98 - ((bban || '301000')::numeric % 97))::text, 2, '0') || bban END AS iban,
            CASE WHEN i % 100 = 7 THEN NULL ELSE lpad((1000000000 + i)::text, 10, '0') END AS rnokpp,
            CASE WHEN i % 100 = 7 THEN 'МК' || lpad(i::text, 6, '0') END AS document_number
     FROM generate_series(1, $1) AS i, LATERAL (SELECT (300000 + (i % 20) * 1111)::text || lpad(i::text, 19, '0') AS bban) b`,
    [n],
  );
  await db.query(`ALTER TABLE payments_treasury.bench_plain ADD PRIMARY KEY (i),
     ADD COLUMN iban_enc text, ADD COLUMN iban_hash text, ADD COLUMN rnokpp_enc text, ADD COLUMN document_enc text`);
  const cipher = await pii.cipherFor();
  for (let last = 0; ;) {
    const rows = await db.query(
      `SELECT i, iban, rnokpp, document_number FROM payments_treasury.bench_plain WHERE i > $1 ORDER BY i LIMIT 10000`,
      [last],
    );
    if (rows.length === 0) break;
    const cols = rows.map((r) =>
      r.iban ? accountColumns(cipher, { iban: r.iban, rnokpp: r.rnokpp, documentNumber: r.document_number }) : null,
    );
    await db.query(
      `UPDATE payments_treasury.bench_plain a
          SET iban_enc = u.iban_enc, iban_hash = u.iban_hash, rnokpp_enc = u.rnokpp_enc, document_enc = u.document_enc
         FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(i, iban_enc, iban_hash, rnokpp_enc, document_enc)
        WHERE a.i = u.i`,
      [
        rows.map((r) => r.i),
        cols.map((c) => c?.iban_enc ?? null),
        cols.map((c) => c?.iban_hash ?? null),
        cols.map((c) => c?.payee_rnokpp_enc ?? null),
        cols.map((c) => c?.payee_document_number_enc ?? null),
      ],
    );
    last = rows[rows.length - 1].i;
  }
  // One INSERT of the assignment copies with their ciphertexts (no plain value reaches the treasury's tables).
  await db.query(
    `INSERT INTO payments_treasury.assignment
       (assignment_id, version, programme_code, recipient_person_id, katottg, period_from, period_to, status, stop_from, payment_method, postcode,
        iban_masked, mfo, payee_full_name, iban_enc, iban_hash, payee_rnokpp_enc, payee_document_number_enc)
     SELECT assignment_id, 1, $1, gen_random_uuid(), 'UA' || (10 + i % 25) || '000000000000000', '2026-01', '2026-12', 'active', NULL,
            CASE WHEN iban IS NULL THEN 'post' ELSE 'bank' END,
            CASE WHEN iban IS NULL THEN lpad((1000 + i % 98000)::text, 5, '0') END,
            CASE WHEN iban IS NOT NULL THEN left(iban, 4) || repeat('*', 21) || right(iban, 4) END,
            substr(iban, 5, 6),
            'Отримувач Бенчмарку ' || i,
            iban_enc, iban_hash, rnokpp_enc, document_enc
     FROM payments_treasury.bench_plain ORDER BY i`,
    [PROGRAMME],
  );
  await db.query(`DROP TABLE payments_treasury.bench_plain`);
  await db.query(
    `INSERT INTO payments_treasury.assignment_month (assignment_id, version, month, amount_kopiyky, explanation)
     SELECT assignment_id, 1, $1, 200000 + (abs(hashtext(assignment_id::text)) % 7) * 10000, 'bench: КМУ № 332 п. 4' FROM payments_treasury.assignment`,
    [MONTH],
  );
  await db.query(
    `INSERT INTO payments_treasury.adjustment (id, assignment_id, recipient_person_id, programme_code, month, kind, amount_kopiyky, explanation, source_event_id)
     SELECT gen_random_uuid(), assignment_id, recipient_person_id, programme_code, '2026-10', 'overpayment', 150000, 'bench overpayment', gen_random_uuid()
     FROM payments_treasury.assignment WHERE abs(hashtext(assignment_id::text)) % 100 = 0`,
  );
  await db.query(`VACUUM (ANALYZE) payments_treasury.assignment, payments_treasury.assignment_month, payments_treasury.adjustment`);
}

/** The bare INSERT … SELECT of the same rows into a plain table of the same shape (no arrears, deductions, ledger, totals, events). */
async function bare(db) {
  await db.query(`CREATE TABLE payments_treasury.bench_bare_line (LIKE payments_treasury.payroll_line)`);
  await db.query(`SELECT count(*) FROM payments_treasury.assignment a JOIN payments_treasury.assignment_month m USING (assignment_id)`); // warm the cache for both
  const t0 = process.hrtime.bigint();
  await db.query(
    `INSERT INTO payments_treasury.bench_bare_line
       (payroll_id, assignment_id, assignment_version, recipient_person_id, katottg, month, accrued_kopiyky, arrears_kopiyky, deduction_kopiyky, net_kopiyky, explanation)
     SELECT $1, a.assignment_id, a.version, a.recipient_person_id, a.katottg, m.month, m.amount_kopiyky, 0, 0, m.amount_kopiyky, m.explanation
     FROM payments_treasury.assignment a
     JOIN payments_treasury.assignment_month m ON m.assignment_id = a.assignment_id AND m.version = a.version AND m.month = $2
     WHERE a.programme_code = $3 AND (a.stop_from IS NULL OR a.stop_from > $2)`,
    [randomUUID(), MONTH, PROGRAMME],
  );
  return ms(t0);
}

/**
 * The measured path, as operators run it: payroll run (accrual) → funds reserved (payments) →
 * export (batches) → files streamed to `out`. Returns the timings and the written files.
 */
async function accrueAndExport(t, out) {
  let t0 = process.hrtime.bigint();
  const p = await t.payrolls.run(principal, { programmeCode: PROGRAMME, month: MONTH });
  const accrueMs = ms(t0);

  // e-budget's answer (funds reserved), as the consumer would apply it: payments are created.
  t0 = process.hrtime.bigint();
  // onFundsReserved is @Transactional(): it opens its own transaction on the treasury's host.
  await t.payrolls.onFundsReserved({
    reservationId: randomUUID(),
    payrollId: p.id,
    submissionId: p.submissionId,
    programmeCode: PROGRAMME,
    month: MONTH,
    amountKopiyky: p.totalKopiyky,
    appropriationKopiyky: p.totalKopiyky,
    availableAfterKopiyky: '0',
  });
  const approveMs = ms(t0);

  t0 = process.hrtime.bigint();
  const batches = await t.payrolls.exportBatches(principal, p.id);
  const batchMs = ms(t0);
  // The files are downloaded DOWNLOADS at a time, as a treasurer's client may: each is opened (its
  // audit rows committed) and then streamed; one file's database work overlaps another's writing.
  t0 = process.hrtime.bigint();
  const files = new Array(batches.length);
  const download = async (b) => {
    const path = join(out, `${b.messageId}.${b.channel === 'bank' ? 'xml' : 'csv'}`);
    const stream = createWriteStream(path);
    const opened = await t.payments.openBatchFile(principal, b.id);
    const r = await t.payments.writeBatchFile(opened, stream);
    stream.end();
    await once(stream, 'finish');
    return { path, channel: b.channel, count: r.count, sumKopiyky: r.sumKopiyky };
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(DOWNLOADS, batches.length) }, async () => {
      while (next < batches.length) {
        const i = next++;
        files[i] = await download(batches[i]);
      }
    }),
  );
  const filesMs = ms(t0);
  return { payroll: p, batches, files, accrueMs, approveMs, batchMs, filesMs };
}

/** Validates every bank file against pain.001.001.09.xsd (for small N: xmllint-wasm holds the file in memory). */
async function validatePain001Files(files) {
  const { validateXML } = require('xmllint-wasm');
  const schema = readFileSync(PAIN001_XSD, 'utf8');
  const problems = [];
  for (const f of files.filter((x) => x.channel === 'bank')) {
    const r = await validateXML({
      xml: [{ fileName: f.path, contents: readFileSync(f.path, 'utf8') }],
      schema: [{ fileName: 'pain.001.001.09.xsd', contents: schema }],
    });
    for (const e of r.errors.slice(0, 5)) problems.push(`${f.path}: ${e.message}`);
  }
  return problems;
}

async function runSize(n, { validate = false } = {}) {
  const pg = require(join(ROOT, 'scripts/infra/postgres.js'));
  const { openTreasury } = require(join(DIST, 'standalone.js'));
  await pg.dropDatabase(DB);
  await pg.ensureDatabase(DB);
  const url = pg.serviceDatabaseUrl('payments_treasury', DB);
  const out = await mkdtemp(join(tmpdir(), 'eisss-bench-'));
  let t;
  try {
    await migrate(url);
    t = await openTreasury({ ...process.env, DATABASE_URL: url, NODE_ENV: 'development', LOG_LEVEL: 'silent' });
    const tg = process.hrtime.bigint();
    await generate(t.dataSource, n, t.pii);
    const genMs = ms(tg);
    const bareMs = await bare(t.dataSource);

    global.gc?.();
    const before = process.memoryUsage();
    const sampler = memorySampler(200);
    const { payroll: p, batches, files, accrueMs, approveMs, batchMs, filesMs } = await accrueAndExport(t, out);
    const peak = sampler.stop();
    const written = files.reduce((s, f) => s + f.count, 0);
    let bytes = 0;
    for (const f of await readdir(out)) bytes += (await stat(join(out, f))).size;

    const exportMs = approveMs + batchMs + filesMs;
    const total = accrueMs + exportMs;
    const payments = Number((await t.dataSource.query('SELECT count(*)::int AS n FROM payments_treasury.payment'))[0].n);
    const lines = [
      `payroll bench: ${n.toLocaleString('en').replace(/,/g, ' ')} assignments (month ${MONTH}; generated in ${fmt(genMs)})`,
      `  bare SQL INSERT … SELECT of the same rows ........ ${fmt(bareMs)}`,
      `  accrue (payroll run: lines + arrears/deductions + ledger + control totals + outbox) ${fmt(accrueMs)}`,
      `  approve (funds reserved → ${payments} payments in batches per МФО) ${fmt(approveMs)}`,
      `  export: batches sent + ledger + events ${fmt(batchMs)}; ${batches.length} files streamed and audited, ${DOWNLOADS} at a time (${written} payments, ${(bytes / 1048576).toFixed(1)} MiB) ${fmt(filesMs)}`,
      `  accrue + approve + export ........................ ${fmt(total)}`,
      `  ratios: accrue / bare ${(accrueMs / bareMs).toFixed(1)}× (goal ≤ 4×); accrue + approve + export / bare ${(total / bareMs).toFixed(1)}× (goal ≤ 10×)`,
      `  memory (this process, sampled every 200 ms, ${peak.samples} samples): before rss ${mib(before.rss)} heap ${mib(before.heapUsed)}; ` +
        `peak rss ${mib(peak.rss)} heap ${mib(peak.heapUsed)} (+${mib(Math.max(0, peak.rss - before.rss))} rss)`,
      `  control: ${p.lineCount} lines, total ${p.totalKopiyky} kopiyky, deductions ${p.deductionsKopiyky}`,
    ];
    if (validate) {
      const problems = await validatePain001Files(files);
      lines.push(
        `  pain.001.001.09 XSD: ${problems.length === 0 ? `${files.filter((f) => f.channel === 'bank').length} bank files valid` : `INVALID\n    ${problems.join('\n    ')}`}`,
      );
      if (problems.length) process.exitCode = 1;
    }
    process.stdout.write(lines.join('\n') + '\n');
    if (trace?.size) {
      process.stdout.write(trace.report(12) + '\n');
      trace.clear();
    }
    return { n, bareMs, accrueMs, exportMs, total, peak };
  } finally {
    if (t) await t.close();
    await rm(out, { recursive: true, force: true });
    if (process.env.BENCH_KEEP === '1') process.stdout.write(`  database ${DB} kept (BENCH_KEEP=1)\n`);
    else await pg.dropDatabase(DB);
  }
}

async function main() {
  const args = process.argv.slice(2);
  const validate = args.includes('--validate');
  const sizes = args
    .filter((a) => !a.startsWith('--'))
    .map((s) => Number(s.replace(/[_ ]/g, '')))
    .filter((x) => Number.isInteger(x) && x > 0);
  for (const n of sizes.length ? sizes : [validate ? 2000 : 100000]) await runSize(n, { validate });
}

module.exports = { PROGRAMME, MONTH, PAIN001_XSD, generate, accrueAndExport, validatePain001Files };

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err.stack || err.message}\n`);
    process.exit(1);
  });
}
