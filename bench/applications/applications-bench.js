#!/usr/bin/env node
/**
 * Applications bench (issue 13, goal 1): a national wave of single-adult IDP applications from the Diia
 * channel at fixed open-loop rates, all six services as OS processes from their built dist, latency from
 * `POST /applications` to the `application.decided` event on Kafka.
 *
 *   npx tsc -b tsconfig.build.json                      # the bench runs the built dist
 *   node bench/applications/applications-bench.js       # rates 10 25 50 100 120 150 200 per second, 30 s each
 *   node bench/applications/applications-bench.js 10 25 50 --duration 10
 *   flock /tmp/eisss-bench.lock npm run bench:applications   # on a shared machine: one heavy run at a time
 *
 * Options: rates (positional, per second); --duration S (submit window per rate, default 30);
 * --drain S (how long after a window to wait for the rest of its decisions, default 60; a rate that
 * leaves a backlog after it ends the sweep: higher rates would only pile onto it); --warmup S (at 10/s,
 * not counted, default 5); --partitions N (per topic, default 3); --register-concurrency N (default 16);
 * --keep (leave the database and topics for inspection).
 * BENCH_TRACE=1 counts each service's SQL statements of the measured part (bench/applications/sql-trace.js)
 * and prints them per decided application; BENCH_PROFILE=social-processing (comma-separated services) writes
 * V8 CPU profiles into BENCH_PROFILE_DIR (default $TMPDIR/bench-app-profiles).
 * Environment passes through to the services (e.g. DATABASE_POOL_MAX, CONSUMER_BATCH_SIZE), and
 * PGADMIN_URL (admin connection) / KAFKA_BROKERS as for the tests.
 *
 * Set-up (own world, removed at the end, also on failure or Ctrl-C): database `eisss_bench_applications`
 * (roles and schemas by scripts/infra/postgres.js, each service's own `migrate up`), its own topic prefix
 * `benchapp<pid>.` with every catalogue topic and the catalogue's ACLs, tokens of the test identity provider
 * (libs/testing test-keys: the services get its inline JWKS, NODE_ENV=test — no Keycloak needed, and token
 * signing costs nothing per request: one token per role, signed once). Persons are registered in the
 * social register over REST (person + IDP certificate, one adult each, all different names and birth dates,
 * so duplicate control opens nothing), and the bench waits until processing has projected them. The
 * IDP allowance's maker-checker is switched off through the two-person rule (a national supervisor asks, a
 * second approves), so the rules decide alone when verification passes, as on the measured wave. e-budget
 * holds the programme and appropriations for the term, so the assignments' downstream consumers
 * (register, e-budget, treasury) do their usual work during the run.
 *
 * Per rate: submitted (201), errors, decided/s sustained (decisions of this rate's applications that
 * arrived inside its window, per second), HTTP p50/p99 of the submit, submit→decided p50/p90/p99 (of the
 * decided ones), backlog left at the end of the window and after the drain. A markdown table at the end.
 */
'use strict';
const { join } = require('node:path');
const { randomUUID } = require('node:crypto');
const os = require('node:os');

const ROOT = join(__dirname, '..', '..');
const testing = require(join(ROOT, 'libs/testing/dist'));
const platform = require(join(ROOT, 'libs/platform/dist'));
const contracts = require(join(ROOT, 'libs/contracts/dist'));
const { Client } = require('pg');
const { execFileSync } = require('node:child_process');
const { mkdtempSync, readdirSync, readFileSync, rmSync } = require('node:fs');

const { Role, ApplicationDecidedV1 } = contracts;
const { ServiceProcess, tokenFor, testAuthEnv, postgresInfra, infraServices, kafkaClientOptions, kafkaClientEnv, KAFKA_BROKERS } = testing;

// ── arguments ───────────────────────────────────────────────────────────────────────────────────
function parseArgs(argv) {
  const o = { rates: [], duration: 30, drain: 60, warmup: 5, partitions: 3, registerConcurrency: 16, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a number`);
      return v;
    };
    if (a === '--duration') o.duration = num();
    else if (a === '--drain') o.drain = num();
    else if (a === '--warmup') o.warmup = num();
    else if (a === '--partitions') o.partitions = num();
    else if (a === '--register-concurrency') o.registerConcurrency = num();
    else if (a === '--keep') o.keep = true;
    else if (/^[0-9]+(\.[0-9]+)?$/.test(a)) o.rates.push(Number(a));
    else throw new Error(`unknown argument ${a}`);
  }
  if (o.rates.length === 0) o.rates = [10, 25, 50, 100, 120, 150, 200];
  return o;
}

const say = (m) => process.stdout.write(`[bench] ${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nowMs = () => performance.timeOrigin + performance.now();

function pct(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
function fmtMs(x) {
  if (!Number.isFinite(x)) return '–';
  return x >= 1000 ? `${(x / 1000).toFixed(x >= 10000 ? 0 : 1)} s` : `${Math.round(x)} ms`;
}

// ── the world ───────────────────────────────────────────────────────────────────────────────────
const DB = process.env.BENCH_DB_NAME ?? 'eisss_bench_applications';
const PREFIX = `benchapp${process.pid}.`;
const KYIV = 'UA80000000000093317';
const ORIGIN = 'UA14000000000000000'; // Donetsk oblast: territory of hostilities without an end date
const IBAN = 'UA213223130000026007233566001';
const PROGRAMME = 'idp-living-allowance';

const TOKENS = {
  registrar: tokenFor({ id: 'bench-registrar', roles: [Role.Registrar], territory: 'UA' }),
  diia: tokenFor({ id: 'diia-gateway', roles: [Role.System], territory: 'UA' }),
  national1: tokenFor({ id: 'bench-national-1', roles: [Role.Supervisor], territory: 'UA' }),
  national2: tokenFor({ id: 'bench-national-2', roles: [Role.Supervisor], territory: 'UA' }),
  budgetOfficer: tokenFor({ id: 'bench-budget', roles: [Role.BudgetOfficer], territory: 'UA' }),
};

function kafka(clientId) {
  return platform.createKafka({ clientId, ...kafkaClientOptions('admin', KAFKA_BROKERS) });
}

async function createWorld(opts) {
  await postgresInfra.dropDatabase(DB).catch(() => undefined); // leftover of a run that was killed
  await postgresInfra.ensureDatabase(DB);
  for (const s of infraServices) {
    execFileSync(process.execPath, [join(ROOT, 'services', s.name, 'dist', 'migrate.js'), 'up'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: postgresInfra.serviceDatabaseUrl(s.schema, DB) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  say(`database ${DB} migrated`);
  const k = kafka('bench-setup');
  if (testing.kafkaSecured()) await platform.ensureAcls(k, platform.catalogueAcls({ prefix: PREFIX }));
  const created = await platform.ensureTopics(k, platform.catalogueTopics({ partitions: opts.partitions }), PREFIX);
  say(`${created.length} topics under ${PREFIX} (${opts.partitions} partitions each)`);
}

async function destroyWorld() {
  await postgresInfra.dropDatabase(DB).catch((e) => say(`could not drop ${DB}: ${e.message}`));
  const k = kafka('bench-teardown');
  const admin = k.admin();
  try {
    await admin.connect();
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(PREFIX));
    for (let i = 0; i < mine.length; i += 200) await admin.deleteTopics({ topics: mine.slice(i, i + 200) });
  } catch (e) {
    say(`could not delete the topics ${PREFIX}*: ${e.message}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  if (testing.kafkaSecured()) await platform.removeAcls(k, platform.catalogueAcls({ prefix: PREFIX })).catch(() => undefined);
}

const TRACE_DIR = process.env.BENCH_TRACE === '1' ? mkdtempSync(join(os.tmpdir(), 'bench-app-trace-')) : null;

function serviceEnv(name) {
  const schema = infraServices.find((s) => s.name === name).schema;
  let nodeOptions = process.env.NODE_OPTIONS ?? '';
  if (TRACE_DIR) nodeOptions += ` --require ${join(__dirname, 'sql-trace.js')}`;
  // BENCH_PROFILE=<service>[,<service>]: a V8 CPU profile of those services (written when they stop) into BENCH_PROFILE_DIR.
  const profile = (process.env.BENCH_PROFILE ?? '').split(',').includes(name);
  if (profile) nodeOptions += ` --require ${join(__dirname, 'cpu-profile.js')}`;
  const trace = {
    ...(nodeOptions.trim() ? { NODE_OPTIONS: nodeOptions.trim() } : {}),
    ...(TRACE_DIR ? { BENCH_TRACE_DIR: TRACE_DIR } : {}),
    ...(profile ? { BENCH_PROFILE_DIR: process.env.BENCH_PROFILE_DIR ?? join(os.tmpdir(), 'bench-app-profiles') } : {}),
  };
  return {
    ...trace,
    NODE_ENV: 'test',
    DATABASE_URL: postgresInfra.serviceDatabaseUrl(schema, DB),
    KAFKA_BROKERS,
    KAFKA_TOPIC_PREFIX: PREFIX,
    ...kafkaClientEnv(name),
    ...testAuthEnv(),
    LOG_LEVEL: process.env.BENCH_SERVICE_LOG_LEVEL ?? 'warn',
  };
}

async function call(svc, method, path, token, body) {
  const res = await svc.request(method, path, { token, body });
  if (res.status >= 300) throw new Error(`${svc.service} ${method} ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  return res.body;
}

// ── persons ─────────────────────────────────────────────────────────────────────────────────────
const LETTERS = 'бвгдклмнпрстхцшжзфчщ';
/** A different surname for every i (letters of i in base 20, then -енко). */
function surname(i) {
  let s = '';
  let n = i;
  do {
    s += LETTERS[n % LETTERS.length];
    n = Math.floor(n / LETTERS.length);
  } while (n > 0);
  const word = `${s}а${LETTERS[(i * 7) % LETTERS.length]}енко`;
  return word[0].toUpperCase() + word.slice(1);
}
/** Birth dates of adults (1960 … 1999), a different day for most persons; the РНОКПП encodes it. */
function personAt(i) {
  const day = i % 14000;
  const birth = new Date(Date.UTC(1960, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
  const sex = i % 2 === 0 ? 'female' : 'male';
  const days = Math.round((Date.parse(`${birth}T00:00:00Z`) - Date.UTC(1899, 11, 31)) / 86_400_000);
  const serial = Math.floor(i / 14000) + 100;
  const rnokpp = platform.withRnokppChecksum(
    `${String(days).padStart(5, '0')}${String(serial % 1000).padStart(3, '0')}${sex === 'male' ? 1 : 2}`,
  );
  return { rnokpp, lastName: surname(i), firstName: sex === 'female' ? 'Оксана' : 'Андрій', birthDate: birth, sex };
}

async function registerPerson(register, i) {
  const p = personAt(i);
  const person = await call(register, 'POST', '/persons', TOKENS.registrar, {
    rnokpp: p.rnokpp,
    lastName: p.lastName,
    firstName: p.firstName,
    birthDate: p.birthDate,
    sex: p.sex,
    katottg: KYIV,
    registeredAddress: 'м. Київ, вул. Січових Стрільців, 10',
  });
  await call(register, 'POST', `/persons/${person.id}/statuses`, TOKENS.registrar, {
    clientRequestId: `bench-idp-${person.id}`,
    type: 'idp',
    validFrom: '2026-01-01',
    source: 'ЄІБД ВПО',
    reason: 'довідка про взяття на облік ВПО',
    details: { certificateNumber: `8000-${String(i).padStart(8, '0')}`, certificateDate: '2026-01-01', originKatottg: ORIGIN },
  });
  return { id: person.id, rnokpp: p.rnokpp };
}

async function registerPersons(register, n, concurrency) {
  const out = new Array(n);
  let next = 0;
  const t0 = nowMs();
  let lastReport = t0;
  async function worker() {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      out[i] = await registerPerson(register, i);
      if (nowMs() - lastReport > 10_000) {
        lastReport = nowMs();
        say(`  registered ${i + 1}/${n} (${((i + 1) / ((lastReport - t0) / 1000)).toFixed(0)} persons/s)`);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  const s = (nowMs() - t0) / 1000;
  say(`registered ${n} persons with an IDP certificate in ${s.toFixed(1)} s (${(n / s).toFixed(0)} persons/s over REST)`);
  return out;
}

/** Until processing has projected every person and status (the bench's own database; read as the admin). */
async function awaitProjected(n, timeoutMs) {
  const u = new URL(postgresInfra.adminUrl());
  u.pathname = `/${DB}`;
  const sql = new Client({ connectionString: u.toString() });
  await sql.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await sql.query(
        `SELECT (SELECT count(*) FROM social_processing.person_projection)::int AS persons,
                (SELECT count(*) FROM social_processing.person_status)::int AS statuses`,
      );
      const { persons, statuses } = r.rows[0];
      if (persons >= n && statuses >= n) return;
      if (Date.now() > deadline) throw new Error(`processing projected ${persons} persons and ${statuses} statuses of ${n} in time`);
      await sleep(500);
    }
  } finally {
    await sql.end();
  }
}

// ── set-up of the programme ───────────────────────────────────────────────────────────────────
function monthsFrom(today, count) {
  const [y, m] = today.split('-').map(Number);
  return Array.from({ length: count }, (_, k) => {
    const t = y * 12 + (m - 1) + k;
    return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
  });
}

async function setUpProgramme(s, today) {
  // Maker-checker off for the IDP allowance: one national supervisor asks, another approves.
  const req = await call(s.processing, 'PUT', `/programmes/${PROGRAMME}/settings`, TOKENS.national1, {
    requiresApproval: false,
    reason: 'навантажувальний тест: рішення за правилами',
  });
  await call(s.processing, 'POST', `/approvals/${req.id}/approve`, TOKENS.national2, {});
  // e-budget: the holder, the programme and Kyiv's appropriations for the months of the terms.
  await call(s.budget, 'POST', '/budget-holders', TOKENS.budgetOfficer, {
    code: 'minsotspolityky',
    name: 'Міністерство соціальної політики України',
  });
  await call(s.budget, 'POST', '/programmes', TOKENS.budgetOfficer, {
    code: PROGRAMME,
    kpkvk: '2501480',
    name: 'Допомога на проживання ВПО',
    holderCode: 'minsotspolityky',
  });
  const rows = monthsFrom(today, 8).map((month) => ({ programmeCode: PROGRAMME, region: 'UA80', month, amountKopiyky: '100000000000' }));
  await call(s.budget, 'POST', '/appropriations/import', TOKENS.budgetOfficer, { format: 'json', rows });
}

// ── the decisions on Kafka ─────────────────────────────────────────────────────────────────────
async function startDecisionReader(decided) {
  const consumer = kafka('bench-decisions').consumer({ groupId: `bench-decisions-${randomUUID()}`, maxWaitTimeInMs: 50 });
  await consumer.connect();
  const topic = PREFIX + ApplicationDecidedV1.topic;
  for (let attempt = 0; ; attempt++) {
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      break;
    } catch (err) {
      if (attempt >= 6) throw err;
      await sleep(250 * 2 ** attempt);
    }
  }
  await consumer.run({
    eachBatchAutoResolve: true,
    eachBatch: async ({ batch }) => {
      const at = nowMs();
      for (const m of batch.messages) {
        const e = JSON.parse(m.value.toString());
        const id = e.payload.applicationId;
        if (!decided.has(id)) decided.set(id, { at, outcomes: e.payload.decisions.map((d) => d.outcome) });
      }
    },
  });
  return consumer;
}

// ── CPU per process ────────────────────────────────────────────────────────────────────────────
const TICK_MS = 1000 / 100; // USER_HZ
function ticksOf(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return Number(rest[11]) + Number(rest[12]); // utime + stime
  } catch {
    return null;
  }
}
/** CPU ticks of the services, of this database's Postgres backends and of the broker (shared), now. */
function cpuSample(procs) {
  const out = new Map();
  for (const p of procs) out.set(p.service, ticksOf(p.child.pid) ?? 0);
  const pg = new Map(); // per backend: a connection the pools close between two samples loses its ticks, never goes negative
  let kafkaTicks = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(d)) continue;
    let cmd;
    try {
      cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmd.startsWith('postgres:') && cmd.includes(` ${DB} `)) pg.set(d, ticksOf(d) ?? 0);
    else if (cmd.includes('kafka.Kafka')) kafkaTicks += ticksOf(d) ?? 0;
  }
  out.set('postgres (this database)', pg);
  out.set('kafka broker (shared)', kafkaTicks);
  const u = process.cpuUsage();
  out.set('bench itself', (u.user + u.system) / 1000 / TICK_MS);
  return out;
}
function cpuPerApplication(before, after, decisions) {
  const parts = [];
  for (const [k, v] of after) {
    const ticks =
      v instanceof Map ? [...v].reduce((sum, [pid, t]) => sum + t - (before.get(k)?.get(pid) ?? 0), 0) : v - (before.get(k) ?? 0);
    parts.push(`${k} ${((ticks * TICK_MS) / Math.max(1, decisions)).toFixed(1)}`);
  }
  return `CPU ms per decided application: ${parts.join(', ')}`;
}

// ── the load ───────────────────────────────────────────────────────────────────────────────────
function applicationOf(person, today) {
  return {
    clientRequestId: `diia-${randomUUID()}`,
    channel: 'diia',
    applicantPersonId: person.id,
    applicantRnokpp: person.rnokpp,
    katottg: KYIV,
    receivedOn: today,
    programmeCodes: [PROGRAMME],
    household: { members: [{ personId: person.id, role: 'applicant', relation: 'self' }] },
    consents: [
      { type: 'personal-data-processing', givenOn: today },
      { type: 'registers-check', givenOn: today },
    ],
    payment: { method: 'bank', iban: IBAN },
  };
}

/** Submits `rate`/s for `seconds` on a timer (open loop: never waits for an answer before the next). */
async function runRate(processingUrl, persons, rate, seconds, today, decided) {
  const n = Math.round(rate * seconds);
  const subs = []; // { startedAt, httpMs, status, id }
  const t0 = nowMs() + 20;
  let sent = 0;
  const inflight = [];
  await new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(n, Math.floor(((nowMs() - t0) / 1000) * rate) + 1);
      while (sent < due) {
        const person = persons.pop();
        if (!person) throw new Error('out of registered persons');
        const rec = { startedAt: nowMs(), httpMs: NaN, status: 0, id: null };
        subs.push(rec);
        sent++;
        inflight.push(
          fetch(`${processingUrl}/applications`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKENS.diia}` },
            body: JSON.stringify(applicationOf(person, today)),
          })
            .then(async (res) => {
              const body = await res.json().catch(() => null);
              rec.httpMs = nowMs() - rec.startedAt;
              rec.status = res.status;
              rec.id = body?.id ?? null;
              if (res.status !== 201 && !rec.error) rec.error = body?.error?.code ?? String(res.status);
            })
            .catch((err) => {
              rec.httpMs = nowMs() - rec.startedAt;
              rec.error = err.cause?.code ?? err.message;
            }),
        );
      }
      if (sent >= n) return resolve();
      setTimeout(tick, Math.max(1, Math.min(10, t0 + (sent / rate) * 1000 - nowMs())));
    };
    setTimeout(tick, Math.max(0, t0 - nowMs()));
  });
  const windowEnd = t0 + seconds * 1000;
  await sleep(Math.max(0, windowEnd - nowMs()));
  const decidedInWindow = () => subs.filter((s) => s.id && decided.has(s.id) && decided.get(s.id).at <= windowEnd).length;
  const inWindow = decidedInWindow();
  const accepted = () => subs.filter((s) => s.status === 201);
  const backlogAtEnd = accepted().length - inWindow;
  return { subs, inflight, t0, windowEnd, inWindow, backlogAtEnd, accepted };
}

async function measureRate(s, persons, rate, opts, today, decided) {
  const cpuBefore = cpuSample(s.all);
  const r = await runRate(s.processing.url, persons, rate, opts.duration, today, decided);
  const cpuAfter = cpuSample(s.all);
  await Promise.all(r.inflight);
  const drainDeadline = nowMs() + opts.drain * 1000;
  const undecided = () => r.accepted().filter((x) => !decided.has(x.id)).length;
  while (undecided() > 0 && nowMs() < drainDeadline) await sleep(200);
  // The backlog's decisions after the window (submissions no longer compete): how fast the decision path alone runs.
  const lastAt = Math.max(r.windowEnd, ...r.accepted().map((x) => decided.get(x.id)?.at ?? 0));
  const afterWindow = r.accepted().filter((x) => decided.get(x.id)?.at > r.windowEnd).length;
  const drainSeconds = (lastAt - r.windowEnd) / 1000;
  const acc = r.accepted();
  const http = r.subs
    .map((x) => x.httpMs)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const lat = acc
    .filter((x) => decided.has(x.id))
    .map((x) => decided.get(x.id).at - x.startedAt)
    .sort((a, b) => a - b);
  const outcomes = {};
  for (const x of acc) for (const o of decided.get(x.id)?.outcomes ?? []) outcomes[o] = (outcomes[o] ?? 0) + 1;
  const errors = {};
  for (const x of r.subs) if (x.status !== 201) errors[x.error ?? x.status] = (errors[x.error ?? x.status] ?? 0) + 1;
  return {
    rate,
    submitted: acc.length,
    errors,
    decidedPerSec: r.inWindow / opts.duration,
    httpP50: pct(http, 50),
    httpP99: pct(http, 99),
    p50: pct(lat, 50),
    p90: pct(lat, 90),
    p99: pct(lat, 99),
    backlogAtEnd: r.backlogAtEnd,
    backlogAfterDrain: undecided(),
    drainSeconds,
    drainPerSec: drainSeconds > 1 ? afterWindow / drainSeconds : NaN,
    outcomes,
    cpu: cpuPerApplication(cpuBefore, cpuAfter, r.inWindow),
  };
}

function printRow(x) {
  const err = Object.entries(x.errors)
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');
  say(
    `${x.rate}/s: submitted ${x.submitted}${err ? ` (errors: ${err})` : ''}, decided ${x.decidedPerSec.toFixed(1)}/s, ` +
      `HTTP p50 ${fmtMs(x.httpP50)} p99 ${fmtMs(x.httpP99)}, submit→decided p50 ${fmtMs(x.p50)} p90 ${fmtMs(x.p90)} p99 ${fmtMs(x.p99)}, ` +
      `backlog ${x.backlogAtEnd} at the end of the window, ${x.backlogAfterDrain} after the drain` +
      `${x.backlogAtEnd > 0 ? ` (drained in ${x.drainSeconds.toFixed(1)} s${Number.isFinite(x.drainPerSec) ? `, ${x.drainPerSec.toFixed(1)} decisions/s` : ''})` : ''}` +
      `; outcomes ${JSON.stringify(x.outcomes)}\n` +
      `[bench]   ${x.cpu} (inside the window)`,
  );
}

function table(rows, opts) {
  const head =
    '| rate | submitted | decided/s | HTTP p50 | HTTP p99 | submit→decided p50 | p90 | p99 | backlog at end / after drain | backlog drained at |\n' +
    '|---|---|---|---|---|---|---|---|---|---|\n';
  const body = rows
    .map(
      (x) =>
        `| ${x.rate}/s | ${x.submitted}${Object.keys(x.errors).length ? ` (+${Object.values(x.errors).reduce((a, b) => a + b, 0)} errors)` : ''} | ${x.decidedPerSec.toFixed(1)} | ${fmtMs(x.httpP50)} | ${fmtMs(x.httpP99)} | ${fmtMs(x.p50)} | ${fmtMs(x.p90)} | ${fmtMs(x.p99)} | ${x.backlogAtEnd} / ${x.backlogAfterDrain} | ${Number.isFinite(x.drainPerSec) ? `${x.drainPerSec.toFixed(1)}/s` : '–'} |`,
    )
    .join('\n');
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`;
  return `${head}${body}\n\ndecided/s: decisions of the rate's applications inside its window; backlog drained at: decisions per second after the window, when submissions no longer compete. ${opts.duration} s per rate, open loop; ${machine}; all six services, Postgres and Kafka (${opts.partitions} partitions per topic) on this machine.`;
}

// ── main ───────────────────────────────────────────────────────────────────────────────────────
async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const needed = Math.ceil(opts.warmup * 10) + opts.rates.reduce((a, r) => a + Math.round(r * opts.duration), 0) + 10;
  const procs = [];
  let cleaning = false;
  const cleanup = async () => {
    if (cleaning) return;
    cleaning = true;
    await Promise.all(procs.map((p) => p.stop().catch(() => undefined)));
    if (!opts.keep) await destroyWorld();
    else say(`kept database ${DB} and topics ${PREFIX}*`);
  };
  const onSignal = () => {
    say('interrupted: cleaning up');
    cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let consumer;
  const traced = { decisions: 0 };
  try {
    await createWorld(opts);
    const names = ['social-register', 'social-processing', 'verification', 'e-budget', 'payments-treasury', 'case-management'];
    const started = await Promise.all(
      names.map(async (n) => {
        const p = await ServiceProcess.start(n, serviceEnv(n));
        procs.push(p);
        return p;
      }),
    );
    const s = { register: started[0], processing: started[1], verification: started[2], budget: started[3], all: started };
    say('six services ready');
    const today = new platform.Clock().today(); // Europe/Kyiv, as the services' clock
    await setUpProgramme(s, today);

    const persons = await registerPersons(s.register, needed, opts.registerConcurrency);
    await awaitProjected(needed, 600_000);
    say('processing has projected every person');
    persons.reverse(); // pop() takes them in registration order

    const decided = new Map();
    consumer = await startDecisionReader(decided);
    // The SQL counts and profiles start here (only processes that loaded a tracer handle SIGUSR2; it would end the others).
    const profiled = (process.env.BENCH_PROFILE ?? '').split(',');
    for (const p of procs) if (TRACE_DIR || profiled.includes(p.service)) p.child?.kill('SIGUSR2');
    if (opts.warmup > 0) {
      const w = await measureRate(s, persons, 10, { ...opts, duration: opts.warmup }, today, decided);
      say(`warm-up ${opts.warmup} s at 10/s: decided ${w.submitted - w.backlogAfterDrain}/${w.submitted}, p50 ${fmtMs(w.p50)}`);
    }
    const rows = [];
    for (const rate of opts.rates) {
      const x = await measureRate(s, persons, rate, opts, today, decided);
      rows.push(x);
      printRow(x);
      if (x.backlogAfterDrain > 0) {
        say(`stopping the sweep: ${x.backlogAfterDrain} applications of ${rate}/s still undecided after ${opts.drain} s`);
        break;
      }
      await sleep(2000);
    }
    process.stdout.write(`\n${table(rows, opts)}\n\n`);
    if (process.env.BENCH_LOGS === '1')
      for (const p of procs) process.stdout.write(`--- ${p.service}: ${p.logs().length} bytes of output ---\n${p.logs().slice(-3000)}\n`);
    traced.decisions = decided.size;
  } catch (err) {
    for (const p of procs) {
      const tail = p.logs().slice(-1500);
      if (tail.trim()) process.stderr.write(`--- ${p.service} (last output) ---\n${tail}\n`);
    }
    throw err;
  } finally {
    await consumer?.disconnect().catch(() => undefined);
    await cleanup();
    if (TRACE_DIR) printTrace(traced.decisions);
  }
}

/** BENCH_TRACE=1: the statements each service sent during the measured part, per decided application. */
function printTrace(decisions) {
  const per = Math.max(1, decisions);
  for (const f of readdirSync(TRACE_DIR)) {
    const { service, statements } = JSON.parse(readFileSync(join(TRACE_DIR, f), 'utf8'));
    const calls = statements.reduce((a, s) => a + s.calls, 0);
    const ms = statements.reduce((a, s) => a + s.ms, 0);
    process.stdout.write(
      `\n${service}: ${(calls / per).toFixed(1)} statements and ${(ms / per).toFixed(1)} ms of SQL per decided application (${decisions})\n`,
    );
    for (const s of statements.sort((a, b) => b.ms - a.ms).slice(0, 25))
      process.stdout.write(`  ${(s.calls / per).toFixed(2).padStart(6)}× ${(s.ms / s.calls).toFixed(2).padStart(7)} ms  ${s.sql}\n`);
  }
  rmSync(TRACE_DIR, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`[bench] failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
