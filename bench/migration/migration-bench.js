#!/usr/bin/env node
/**
 * Migration bench (issue 14): the register's bulk import of a legacy extract — persons, households,
 * members and statuses, gzip CP1251 as the source systems write them — against a bare COPY of the
 * same files into unindexed tables of text columns, in one run on one database.
 *
 *   npx tsc -b tsconfig.build.json                                   # the bench runs the built dists
 *   node bench/migration/migration-bench.js                          # 1 000 000 persons
 *   node bench/migration/migration-bench.js --persons 100000 --dir /tmp/legacy-100k [--chunk 5000]
 *
 * The extract is generated into --dir (default /tmp/eisss-legacy-<persons>) unless a manifest of the
 * same size is there already (generation is not timed). Its bad rows are of every kind but
 * ROW_MALFORMED: a bare COPY that parses the columns stops at a row with the wrong number of fields.
 *
 * 1. bare COPY: each file gunzipped and streamed into `COPY bare_<entity> FROM STDIN (FORMAT csv,
 *    HEADER, DELIMITER ';', ENCODING 'WIN1251')` — a table with a text column per header field, no
 *    index, no constraint, nothing checked.
 * 2. import: the register's MigrationService (the classes `register import` runs, from the built
 *    dist, in this process): per file, stage (gunzip → decode → CSV → seal РНОКПП/УНЗР/phone → COPY),
 *    validate set-based, apply in chunks with the legacy id map and the outbox events.
 * Then: what the import stored vs the manifest, the outbox, and the importer's memory (RSS sampled
 * every 250 ms: at each tenth of the rows and peak) — flat means it does not grow with the rows.
 *
 * Isolation: its own database `eisss_bench_migration` (dropped at the end unless --keep). No Kafka:
 * the events stay in the outbox (the relay of a running service publishes them).
 * The whole bench takes the lock /tmp/eisss-bench.lock (flock) when run under `flock`; run it alone.
 */
'use strict';
const { legacyExtract } = require('./extract');
const { join, resolve } = require('node:path');
const { createReadStream, createWriteStream } = require('node:fs');
const { createGunzip } = require('node:zlib');
const { pipeline } = require('node:stream/promises');
const { sqlProfile } = require('../sql-profile');

const ROOT = join(__dirname, '..', '..');
const REGISTER = join(ROOT, 'services/social-register/dist');
const DB = 'eisss_bench_migration';
const ENTITIES = ['persons', 'households', 'members', 'statuses'];

function parseArgs(argv) {
  const o = { persons: 1_000_000, dir: null, chunk: null, keep: false, seed: 7, profile: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--persons') o.persons = Number(argv[++i]);
    else if (a === '--dir') o.dir = resolve(argv[++i]);
    else if (a === '--chunk') o.chunk = Number(argv[++i]);
    else if (a === '--seed') o.seed = Number(argv[++i]);
    else if (a === '--keep') o.keep = true;
    else if (a === '--profile') o.profile = true;
    else throw new Error(`unknown argument ${a}`);
  }
  o.dir ??= `/tmp/eisss-legacy-${o.persons}`;
  return o;
}

const secs = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;
const mb = (b) => (b / 1048576).toFixed(0);
const f1 = (x) => x.toFixed(1);
const k = (n) => Math.round(n).toLocaleString('en').replace(/,/g, ' ');

/** The first line of a gzip CP1251 file, decoded: its header fields. */
async function headerOf(file) {
  const iconv = require('iconv-lite');
  const chunks = [];
  let len = 0;
  const gz = createReadStream(file).pipe(createGunzip());
  for await (const c of gz) {
    chunks.push(c);
    len += c.length;
    if (Buffer.concat(chunks, len).includes(0x0a)) break;
  }
  gz.destroy();
  const buf = Buffer.concat(chunks, len);
  return iconv
    .decode(buf.subarray(0, buf.indexOf(0x0a)), 'cp1251')
    .replace(/\r$/, '')
    .split(';');
}

async function bareCopy(client, dir, manifest) {
  const { from } = require('pg-copy-streams');
  const out = {};
  for (const e of ENTITIES) {
    const file = join(dir, manifest.files[e].path);
    const cols = await headerOf(file);
    await client.query(`DROP TABLE IF EXISTS bare_${e}`);
    await client.query(`CREATE TABLE bare_${e} (${cols.map((c) => `"${c}" text`).join(', ')})`);
    const t0 = process.hrtime.bigint();
    await pipeline(
      createReadStream(file),
      createGunzip(),
      client.query(from(`COPY bare_${e} FROM STDIN (FORMAT csv, HEADER true, DELIMITER ';', ENCODING 'WIN1251')`)),
    );
    const seconds = secs(t0);
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM bare_${e}`);
    out[e] = { seconds, rows: rows[0].n };
    process.stderr.write(`  bare COPY ${e}: ${k(rows[0].n)} rows in ${f1(seconds)} s\n`);
  }
  return out;
}

function rssSampler() {
  let peak = 0;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  const t = setInterval(sample, 250);
  return {
    now: () => (sample(), process.memoryUsage().rss),
    peak: () => (sample(), peak),
    stop: () => clearInterval(t),
  };
}

async function runImport(dir, manifest, env) {
  const { openRegister } = require(join(REGISTER, 'standalone.js'));
  const { Role } = require('@eisss/contracts');
  const r = await openRegister(env);
  const principal = { id: 'bench-migration', roles: [Role.Registrar], territory: 'UA' };
  const rss = rssSampler();
  const out = {};
  const profile = []; // [fraction of the file's rows, rss] per tenth
  try {
    for (const e of ENTITIES) {
      const path = join(dir, manifest.files[e].path);
      const total = manifest.files[e].rows;
      const t0 = process.hrtime.bigint();
      const { job, file } = await r.migration.open(principal, { path });
      const phases = { staging: 0, validated: 0, applying: 0 };
      let tPhase = process.hrtime.bigint();
      let nextTenth = 1;
      const done = await r.migration.run(job.id, file, (p) => {
        if (p.phase === 'validated') {
          phases.staging = secs(tPhase);
          tPhase = process.hrtime.bigint();
          process.stderr.write(`  ${e}: staged and validated ${k(p.done)} rows in ${f1(phases.staging)} s\n`);
        }
        const frac = p.phase === 'staging' ? p.done / total / 2 : p.phase === 'applying' ? 0.5 + p.done / total / 2 : null;
        while (frac !== null && frac >= nextTenth / 10) {
          profile.push({ entity: e, at: nextTenth * 10, rss: rss.now() });
          nextTenth++;
        }
        if (p.phase === 'applying' && p.job.chunksApplied % 40 === 0)
          process.stderr.write(`\r  ${e}: applied through line ${k(p.done)} of ${k(total + 1)}, rss ${mb(rss.now())} MB   `);
      });
      phases.applying = secs(tPhase);
      const seconds = secs(t0);
      out[e] = { seconds, phases, job: done };
      process.stderr.write(
        `\n  ${e}: ${done.status}: ${k(done.totalRows)} rows, ${k(done.createdRows)} created, ${k(done.linkedRows)} linked, ` +
          `${k(done.rejectedRows)} rejected, ${k(done.reviewRows)} reviews in ${f1(seconds)} s\n`,
      );
    }
    return { out, profile, peakRss: rss.peak() };
  } finally {
    rss.stop();
    await r.close();
  }
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const pg = require(join(ROOT, 'scripts/infra/postgres.js'));
  const { migrateService } = require(join(ROOT, 'bench/migrate.js'));
  const { Client } = require('pg');
  const manifest = await legacyExtract(o);
  const url = pg.serviceDatabaseUrl('social_register', DB);
  await pg.dropDatabase(DB);
  await pg.ensureDatabase(DB);
  let client;
  try {
    await migrateService(REGISTER, url);
    client = new Client({ connectionString: url });
    await client.connect();
    const rows = Object.fromEntries(ENTITIES.map((e) => [e, manifest.files[e].rows]));
    const allRows = ENTITIES.reduce((s, e) => s + rows[e], 0);
    const bytes = ENTITIES.reduce((s, e) => s + manifest.files[e].size, 0);
    process.stdout.write(
      `migration bench: ${k(o.persons)} persons — ${ENTITIES.map((e) => `${e} ${k(rows[e])}`).join(', ')} rows ` +
        `(${mb(bytes)} MB gzip CP1251), database ${DB}, Node ${process.version}\n`,
    );
    const bare = await bareCopy(client, o.dir, manifest);
    for (const e of ENTITIES) await client.query(`DROP TABLE bare_${e}`);
    const env = {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: url,
      KAFKA_BROKERS: '127.0.0.1:1',
      LOG_LEVEL: 'warn',
      ...(o.chunk ? { IMPORT_CHUNK_SIZE: String(o.chunk) } : {}),
    };
    const profile = o.profile ? sqlProfile() : null;
    if (profile && process.env.PROFILE_SQL_DUMP) process.once('beforeExit', () => profile.dump(process.env.PROFILE_SQL_DUMP));
    const imp = await runImport(o.dir, manifest, env);
    if (profile) process.stdout.write(`SQL of the import (summed by statement):\n${profile.report(25)}\n`);

    const [stored] = (
      await client.query(`SELECT (SELECT count(*)::int FROM social_register.person) AS persons,
        (SELECT count(*)::int FROM social_register.household) AS households,
        (SELECT count(*)::int FROM social_register.household_member) AS members,
        (SELECT count(*)::int FROM social_register.person_status) AS statuses,
        (SELECT count(*)::int FROM social_register.duplicate_review) AS reviews,
        (SELECT count(*)::int FROM social_register.import_reject) AS rejects,
        (SELECT count(*)::int FROM social_register.outbox) AS outbox`)
    ).rows;
    const x = manifest.expected;
    const expectedRejects = manifest.rejects.filter((r) => ENTITIES.includes(r.entity)).length;
    const checks = [
      ['persons', stored.persons, x.persons.created],
      ['households', stored.households, x.households],
      ['members', stored.members, x.members],
      ['statuses', stored.statuses, x.statuses],
      ['duplicate reviews', stored.reviews, x.persons.reviews],
      ['rejects', stored.rejects, expectedRejects],
    ];
    const bareS = ENTITIES.reduce((s, e) => s + bare[e].seconds, 0);
    const impS = ENTITIES.reduce((s, e) => s + imp.out[e].seconds, 0);
    process.stdout.write(
      `\n| file | rows | bare COPY | import (stage+validate / apply) | import rows/s | import ÷ COPY time |\n|---|---|---|---|---|---|\n`,
    );
    for (const e of ENTITIES) {
      const i = imp.out[e];
      process.stdout.write(
        `| ${e} | ${k(rows[e])} | ${f1(bare[e].seconds)} s | ${f1(i.seconds)} s (${f1(i.phases.staging)} / ${f1(i.phases.applying)}) | ` +
          `${k(rows[e] / i.seconds)} | ${f1(i.seconds / bare[e].seconds)}× |\n`,
      );
    }
    process.stdout.write(
      `| **all** | ${k(allRows)} | **${f1(bareS)} s** (${k(allRows / bareS)} rows/s) | **${f1(impS)} s** | ${k(allRows / impS)} | ` +
        `**${f1(impS / bareS)}×** (import at ${f1((100 * bareS) / impS)} % of COPY speed) |\n\n`,
    );
    const per = impS / o.persons;
    process.stdout.write(
      `  ${k(o.persons / impS)} persons/s with their households and statuses; 18 000 000 persons ≈ ${f1((per * 18e6) / 3600)} h ` +
        `at this rate (bare COPY: ${f1(((bareS / o.persons) * 18e6) / 3600)} h)\n`,
    );
    process.stdout.write(
      `  stored vs manifest: ${checks.map(([n, got, want]) => `${n} ${k(got)}${got === want ? ' ✓' : ` ✗ (expected ${k(want)})`}`).join(', ')}; ` +
        `outbox ${k(stored.outbox)} events\n`,
    );
    const tenths = imp.profile.filter((p) => p.entity === 'persons');
    process.stdout.write(
      `  importer RSS through the persons file (every tenth of the rows): ${tenths.map((p) => mb(p.rss)).join(', ')} MB; ` +
        `peak over the run ${mb(imp.peakRss)} MB\n`,
    );
    if (checks.some(([, got, want]) => got !== want)) process.exitCode = 1;
    if (process.env.BENCH_JSON) {
      const w = createWriteStream(process.env.BENCH_JSON);
      w.end(JSON.stringify({ persons: o.persons, rows, bare, import: imp.out, profile: imp.profile, peakRss: imp.peakRss, stored }));
    }
  } finally {
    await client?.end();
    if (!o.keep) await pg.dropDatabase(DB);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
