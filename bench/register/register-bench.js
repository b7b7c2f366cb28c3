#!/usr/bin/env node
/**
 * Register intake bench: the intake an office does for each person, over REST against social-register
 * running as its own OS process from its built dist — POST /persons (РНОКПП with its check digit,
 * names, birth date, address with КАТОТТГ) then POST /persons/:id/statuses (an IDP status) — with the
 * register's duplicate control on, by N concurrent clients.
 *
 *   npx tsc -b tsconfig.build.json                       # the bench runs the built dist
 *   node bench/register/register-bench.js                 # 8, 16, 32, 64 clients, 2000 persons each
 *   node bench/register/register-bench.js --clients 16,32 --count 5000
 *   node bench/register/register-bench.js --clients 32 --duration 20   # seconds per level instead of a count
 *   node bench/register/register-bench.js --replicas 2                  # two service processes (default 1),
 *                                                                      # clients spread over them as a k8s Service does
 *
 * Duplicate control (PersonService.register) stays as the register runs it: an exact duplicate (same
 * РНОКПП, found by its keyed hash) is refused with 409 PERSON_DUPLICATE and the existing id; a probable
 * one (same normalised name and birth date, another РНОКПП) is registered and a duplicate review is
 * opened. DUP_SHARE (default 2 %) of the intakes re-submit an already registered person (expected: 409
 * with that person's id), PROBABLE_SHARE (default 1 %) a namesake born the same day (expected: 201 with
 * duplicateReviewId naming the first). Every other intake must come back without a review.
 *
 * Isolation: its own database `eisss_bench_register` (scripts/infra/postgres.js, migrated for
 * social-register), its own KAFKA_TOPIC_PREFIX with the catalogue topics and ACLs on the shared broker,
 * a free port. Tokens: the test identity provider of libs/testing (tokenFor; the service gets its
 * public keys as AUTH_JWKS) — no Keycloak needed, and RS256 is verified exactly as in production.
 * The database, the topics, the ACLs and the service process are removed at the end, also on failure
 * or Ctrl-C. The service logs at LOG_LEVEL (default info, as deployed) to a file beside it;
 * SERVICE_NODE_ARGS are node options of the service process only (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof).
 *   PGADMIN_URL   admin connection (default postgres://postgres@127.0.0.1:5432/postgres)
 */
'use strict';
const { join } = require('node:path');
const { spawn } = require('node:child_process');
const { openSync, closeSync, mkdtempSync, rmSync, readFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const http = require('node:http');
const { randomBytes } = require('node:crypto');

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'services/social-register/dist');
const TESTING = join(ROOT, 'libs/testing/dist');
const DB = 'eisss_bench_register';
const KYIV = 'UA80000000000093317';
const ORIGIN = 'UA14000000000000000';

function parseArgs(argv) {
  const o = { clients: [8, 16, 32, 64], count: 2000, duration: null, warmup: 300, dupShare: 0.02, probableShare: 0.01, replicas: 1 };
  for (let i = 0; i < argv.length; i++) {
    const [k, v] = argv[i].includes('=') ? argv[i].split('=') : [argv[i], argv[i + 1]];
    const take = () => (argv[i].includes('=') ? v : (i++, v));
    if (k === '--clients') o.clients = take().split(',').map(Number);
    else if (k === '--count') o.count = Number(take());
    else if (k === '--duration') o.duration = Number(take());
    else if (k === '--warmup') o.warmup = Number(take());
    else if (k === '--dup') o.dupShare = Number(take()) / 100;
    else if (k === '--probable') o.probableShare = Number(take()) / 100;
    else if (k === '--replicas') o.replicas = Math.max(1, Number(take()));
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return o;
}

// ── people ──────────────────────────────────────────────────────────────────
const LETTERS = 'абвгґдеєжзиіїйклмнопрстуфхцчшщьюя';
const LAST = ['Коваленко', 'Шевченко', 'Бондаренко', 'Ткаченко', 'Кравченко', 'Мельник', 'Олійник', 'Литвиненко', 'Руденко', 'Савченко'];
const FIRST_M = ['Олександр', 'Андрій', 'Сергій', 'Іван', 'Дмитро'];
const FIRST_F = ['Олена', 'Наталія', 'Оксана', 'Ірина', 'Тетяна'];
const PATR_M = ['Іванович', 'Петрович', 'Миколайович'];
const PATR_F = ['Іванівна', 'Петрівна', 'Миколаївна'];
/** A distinct letter suffix per person, so that only the intended namesakes share a name and birth date. */
function word(n) {
  let s = '';
  do {
    s += LETTERS[n % LETTERS.length];
    n = Math.floor(n / LETTERS.length);
  } while (n > 0);
  return s;
}

function makePeople(withRnokppChecksum) {
  const runSalt = randomBytes(2).readUInt16BE(0);
  let seq = 0;
  return function next() {
    seq++;
    const days = 14611 + ((seq * 7919 + runSalt) % 23000); // 1940 … 2003
    const birthDate = new Date(Date.UTC(1899, 11, 31) + days * 86_400_000).toISOString().slice(0, 10);
    const male = seq % 2 === 1;
    // digits 6–9: a serial; the 9th digit's parity carries the sex (odd: male).
    const serial = (Math.floor(seq / 23000) * 2 + (male ? 1 : 0)) % 10000;
    const rnokpp = withRnokppChecksum(`${String(days).padStart(5, '0')}${String(serial).padStart(4, '0')}`);
    const i = seq % 10;
    return {
      rnokpp,
      lastName: `${LAST[i]}-${word(seq)}`.replace(/-(.)/, (_, c) => '-' + c.toUpperCase()),
      firstName: (male ? FIRST_M : FIRST_F)[seq % 5],
      patronymic: (male ? PATR_M : PATR_F)[seq % 3],
      birthDate,
      sex: male ? 'male' : 'female',
      katottg: KYIV,
      registeredAddress: `м. Київ, вул. Хрещатик, буд. ${1 + (seq % 120)}, кв. ${1 + (seq % 300)}`,
      phone: `+38050${String(1000000 + seq).slice(-7)}`,
    };
  };
}

/** A namesake: same name and birth date, another РНОКПП (another serial of the same day). */
function namesake(p, withRnokppChecksum, k) {
  const serial = 5000 + 2 * (k % 2499) + (Number(p.rnokpp.slice(5, 9)) % 2); // above every intake serial; same parity: same sex
  return { ...p, rnokpp: withRnokppChecksum(p.rnokpp.slice(0, 5) + String(serial).padStart(4, '0')) };
}

function idpStatus(n) {
  return {
    type: 'idp',
    validFrom: '2026-01-15',
    source: 'ЄІБД ВПО',
    reason: 'довідка про взяття на облік ВПО',
    details: { certificateNumber: `8000-${String(n).padStart(7, '0')}`, certificateDate: '2026-01-15', originKatottg: ORIGIN },
  };
}

// ── HTTP ────────────────────────────────────────────────────────────────────
function client(base, maxSockets) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const u = new URL(base);
  return function request(method, path, token, body) {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const t0 = process.hrtime.bigint();
    return new Promise((resolve) => {
      const req = http.request(
        {
          agent,
          host: u.hostname,
          port: u.port,
          method,
          path,
          headers: {
            authorization: `Bearer ${token}`,
            ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}),
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const ms = Number(process.hrtime.bigint() - t0) / 1e6;
            let json = null;
            try {
              json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              /* not JSON */
            }
            resolve({ status: res.statusCode, body: json, ms });
          });
        },
      );
      req.on('error', (err) =>
        resolve({ status: 0, body: { error: { code: err.code || err.message } }, ms: Number(process.hrtime.bigint() - t0) / 1e6 }),
      );
      if (data) req.write(data);
      req.end();
    });
  };
}

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');

// ── set-up and tear-down ────────────────────────────────────────────────────
const migrate = (url) => require('../migrate').migrateService(DIST, url);

function world() {
  const pg = require(join(ROOT, 'scripts/infra/postgres.js'));
  const platform = require('@eisss/platform');
  const repo = require(join(TESTING, 'repo.js'));
  const prefix = `bench${randomBytes(3).toString('hex')}.`;
  const kafka = () => platform.createKafka({ clientId: 'bench-register', ...repo.kafkaClientOptions('admin') });
  const steps = [];
  return {
    prefix,
    pg,
    repo,
    async setUp() {
      await pg.dropDatabase(DB);
      await pg.ensureDatabase(DB);
      steps.push(() => pg.dropDatabase(DB));
      await migrate(pg.serviceDatabaseUrl('social_register', DB));
      if (repo.kafkaSecured()) {
        steps.push(() => platform.removeAcls(kafka(), platform.catalogueAcls({ prefix })));
        await platform.ensureAcls(kafka(), platform.catalogueAcls({ prefix }));
      }
      steps.push(async () => {
        const admin = kafka().admin();
        await admin.connect();
        try {
          const mine = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
          if (mine.length) await admin.deleteTopics({ topics: mine });
        } finally {
          await admin.disconnect();
        }
      });
      await platform.ensureTopics(kafka(), platform.catalogueTopics({ partitions: 3 }), prefix);
    },
    onTearDown(fn) {
      steps.push(fn);
    },
    async tearDown() {
      for (const s of steps.reverse()) {
        try {
          await s();
        } catch (err) {
          process.stderr.write(`clean-up: ${err.message}\n`);
        }
      }
      steps.length = 0;
    },
  };
}

async function startRegister(w, logDir, replica = 1) {
  const { freePort } = require(join(TESTING, 'service-process.js'));
  const { testAuthEnv } = require(join(TESTING, 'test-keys.js'));
  const port = await freePort();
  const logFile = join(logDir, `social-register-${replica}.log`);
  const fd = openSync(logFile, 'a');
  const nodeArgs = (process.env.SERVICE_NODE_ARGS || '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(DIST, 'main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: w.pg.serviceDatabaseUrl('social_register', DB),
      KAFKA_BROKERS: w.repo.KAFKA_BROKERS,
      KAFKA_TOPIC_PREFIX: w.prefix,
      ...w.repo.kafkaClientEnv('social-register'),
      ...testAuthEnv(),
      LOG_LEVEL: process.env.LOG_LEVEL || 'info',
    },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  let exited = null;
  const exit = new Promise((r) => child.once('exit', (code, signal) => r((exited = code ?? signal))));
  w.onTearDown(async () => {
    if (exited === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(t);
    }
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`social-register exited (${exited}) before ready:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return { url, pid: child.pid, logFile };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`social-register not ready within 60 s:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
}

// ── the load ────────────────────────────────────────────────────────────────
/**
 * One level: `clients` loops, each doing intake after intake until `count` intakes are taken (or
 * `duration` seconds pass). An intake: POST /persons, and, when registered, POST …/statuses (IDP).
 */
async function runLevel(ctx, clients, { count, duration, dupShare, probableShare }) {
  const { requests, nextPerson, tokens, registered, withRnokppChecksum } = ctx;
  const lat = { person: [], status: [], duplicate: [], probable: [] };
  const errors = new Map();
  const wrong = [];
  let taken = 0;
  let persons = 0;
  let dupRefused = 0;
  let probableFlagged = 0;
  const stopAt = duration ? Date.now() + duration * 1000 : Infinity;
  const more = () => !ctx.stopping && (duration ? Date.now() < stopAt : taken < count);
  const err = (what, r) => {
    const key = `${what} ${r.status} ${r.body?.error?.code ?? ''}`.trim();
    errors.set(key, (errors.get(key) || 0) + 1);
  };
  const t0 = process.hrtime.bigint();
  async function loop(c) {
    const token = tokens[c % tokens.length];
    const request = requests[c % requests.length]; // a client keeps its replica (keep-alive), as behind a Service
    while (more()) {
      const n = ++taken;
      const roll = Math.random();
      if (roll < dupShare && registered.length > 0) {
        // An exact duplicate: a person already registered, submitted again (another office, same РНОКПП).
        const orig = registered[Math.floor(Math.random() * registered.length)];
        const r = await request('POST', '/persons', token, orig.body);
        lat.duplicate.push(r.ms);
        if (r.status === 409 && r.body?.error?.code === 'PERSON_DUPLICATE' && r.body.error.details?.existingPersonId === orig.id)
          dupRefused++;
        else wrong.push(`duplicate of ${orig.id} answered ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
        continue;
      }
      let body;
      let expectReviewOf = null;
      if (roll < dupShare + probableShare && registered.length > 0) {
        const orig = registered[Math.floor(Math.random() * registered.length)];
        body = namesake(orig.body, withRnokppChecksum, n);
        expectReviewOf = orig.id;
      } else body = nextPerson();
      const r = await request('POST', '/persons', token, body);
      (expectReviewOf ? lat.probable : lat.person).push(r.ms);
      if (r.status !== 201) {
        // A namesake may draw a РНОКПП already taken by another namesake: then it is an exact duplicate.
        if (!(expectReviewOf && r.status === 409)) err('POST /persons', r);
        continue;
      }
      if (expectReviewOf) {
        if (r.body.duplicateReviewId && r.body.probableDuplicateIds.includes(expectReviewOf)) probableFlagged++;
        else wrong.push(`namesake of ${expectReviewOf} answered without its review: ${JSON.stringify(r.body).slice(0, 200)}`);
      } else if (r.body.duplicateReviewId) {
        wrong.push(`distinct person ${r.body.id} got a duplicate review ${r.body.duplicateReviewId}`);
      }
      const s = await request('POST', `/persons/${r.body.id}/statuses`, token, idpStatus(n));
      lat.status.push(s.ms);
      if (s.status !== 201) {
        err('POST /statuses', s);
        continue;
      }
      persons++;
      if (!expectReviewOf && registered.length < 50_000) registered.push({ id: r.body.id, body });
    }
  }
  await Promise.all(Array.from({ length: clients }, (_, c) => loop(c)));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  for (const k of Object.keys(lat)) lat[k].sort((a, b) => a - b);
  return { clients, seconds, taken, persons, rate: persons / seconds, lat, errors, wrong, dupRefused, probableFlagged };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const { withRnokppChecksum } = require('@eisss/platform');
  const { Role } = require('@eisss/contracts');
  const { tokenFor } = require(join(TESTING, 'service-process.js'));
  const w = world();
  const logDir = mkdtempSync(join(tmpdir(), 'eisss-bench-register-'));
  let interrupted = false;
  let ctx;
  const onSignal = () => {
    interrupted = true;
    if (ctx) ctx.stopping = true; // the clients stop taking intakes
    process.stderr.write('\ninterrupted: cleaning up\n');
    w.tearDown().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const results = [];
  try {
    await w.setUp();
    const replicas = [];
    for (let i = 1; i <= opts.replicas; i++) replicas.push(await startRegister(w, logDir, i));
    const maxClients = Math.max(...opts.clients);
    ctx = {
      stopping: false,
      requests: replicas.map((svc) => client(svc.url, maxClients)),
      nextPerson: makePeople(withRnokppChecksum),
      tokens: Array.from({ length: 8 }, (_, i) => tokenFor({ id: `bench-registrar-${i + 1}`, roles: [Role.Registrar], territory: 'UA80' })),
      registered: [],
      withRnokppChecksum,
    };
    process.stdout.write(
      `register intake bench: social-register × ${replicas.length} (${replicas.map((svc) => `pid ${svc.pid} at ${svc.url}`).join(', ')}), database ${DB}, topics ${w.prefix}*, LOG_LEVEL ${process.env.LOG_LEVEL || 'info'}\n` +
        `  intake = POST /persons + POST /persons/:id/statuses (IDP); duplicate control on; exact duplicates ${(opts.dupShare * 100).toFixed(1)} %, namesakes ${(opts.probableShare * 100).toFixed(1)} %\n`,
    );
    if (opts.warmup > 0) {
      const wu = await runLevel(ctx, Math.min(8, maxClients), { ...opts, count: opts.warmup, duration: null });
      process.stdout.write(`  warm-up: ${wu.persons} persons at ${f1(wu.rate)}/s\n`);
    }
    for (const clients of opts.clients) {
      if (interrupted) break;
      const r = await runLevel(ctx, clients, opts);
      results.push(r);
      const errs = [...r.errors.entries()].map(([k, v]) => `${k}: ${v}`).join(', ') || 'none';
      process.stdout.write(
        `  ${String(clients).padStart(3)} clients: ${r.persons} persons in ${r.seconds.toFixed(1)} s = ${f1(r.rate)} persons/s; ` +
          `POST /persons p50 ${f1(pct(r.lat.person, 50))} p99 ${f1(pct(r.lat.person, 99))} ms, ` +
          `POST statuses p50 ${f1(pct(r.lat.status, 50))} p99 ${f1(pct(r.lat.status, 99))} ms; ` +
          `duplicates refused ${r.dupRefused}/${r.lat.duplicate.length} (p50 ${f1(pct(r.lat.duplicate, 50))} ms), ` +
          `namesakes flagged ${r.probableFlagged}/${r.lat.probable.length}; errors ${errs}\n`,
      );
      for (const x of r.wrong.slice(0, 5)) process.stdout.write(`    WRONG: ${x}\n`);
      if (r.wrong.length || r.errors.size) process.exitCode = 1;
    }
    // The register's own view: what was stored matches what the bench was answered.
    const { Client } = require('pg');
    const db = new Client({ connectionString: w.pg.serviceDatabaseUrl('social_register', DB) });
    await db.connect();
    try {
      const [{ persons, reviews, statuses, outbox }] = (
        await db.query(`SELECT (SELECT count(*)::int FROM social_register.person) AS persons,
                               (SELECT count(*)::int FROM social_register.duplicate_review) AS reviews,
                               (SELECT count(*)::int FROM social_register.person_status) AS statuses,
                               (SELECT count(*)::int FROM social_register.outbox) AS outbox`)
      ).rows;
      process.stdout.write(`  stored: ${persons} persons, ${statuses} statuses, ${reviews} duplicate reviews, ${outbox} outbox events\n`);
    } finally {
      await db.end();
    }
    const hdr =
      '| clients | persons | persons/s | POST /persons p50 / p99 | POST statuses p50 / p99 | duplicates refused | namesakes flagged | errors |';
    const rows = results.map(
      (r) =>
        `| ${r.clients} | ${r.persons} | **${f1(r.rate)}** | ${f1(pct(r.lat.person, 50))} / ${f1(pct(r.lat.person, 99))} ms | ` +
        `${f1(pct(r.lat.status, 50))} / ${f1(pct(r.lat.status, 99))} ms | ${r.dupRefused}/${r.lat.duplicate.length} | ` +
        `${r.probableFlagged}/${r.lat.probable.length} | ${[...r.errors.values()].reduce((a, b) => a + b, 0)} |`,
    );
    process.stdout.write(`\n${hdr}\n|---|---|---|---|---|---|---|---|\n${rows.join('\n')}\n`);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await w.tearDown();
    rmSync(logDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err.stack || err.message}\n`);
    process.exit(1);
  });
}
