#!/usr/bin/env node
/**
 * Projection bench (issue 14): do the other services' projections keep up with a bulk import? A legacy
 * extract (persons, households, members, statuses; gzip CP1251) is imported through the register's REST
 * API as an operator does it, while the register's outbox relay publishes the events (person.registered,
 * household.changed, person.status-granted) and the consumers of the services running beside it apply
 * them. Prints figures; it is not a test.
 *
 *   npx tsc -b tsconfig.build.json                                    # the bench runs the built dists
 *   flock /tmp/eisss-bench.lock node bench/migration/projection-bench.js                   # 20 000 persons
 *   flock /tmp/eisss-bench.lock node bench/migration/projection-bench.js --persons 50000 [--timeout 600] [--window 10]
 *
 * The extract is generated into --dir (default /tmp/eisss-legacy-<persons>, the same files as
 * bench/migration/migration-bench.js) unless a manifest of the same size is there (not timed).
 * The import: `POST /imports?fileName=<file>` with the file as the body (application/gzip), as a
 * national registrar (roles registrar, territory UA), then `GET /imports/:id` every 500 ms until the job
 * stops — persons, households, members, statuses, one after the other (a job not finished within --timeout
 * seconds fails the bench: a job whose background run threw stays in its phase).
 *
 * Measured (every 500 ms from the first upload until every consumer has caught up, or --timeout seconds
 * after the last job ended):
 *   - the register's outbox: events produced (rows) and still unpublished;
 *   - per consumer group, the events it has applied (its inbox rows): social-processing.person-projection
 *     (tables person_projection and person_status), social-processing.recalculation, case-management.intake
 *     (person.status-granted), social-register.dci-notify (person.registered, household.changed);
 *   - at the end, from the rows' own timestamps: when the relay had published everything and when each
 *     group had applied everything (seconds from the first upload), average and peak (1 s) rates, and each
 *     event's delay from its outbox row (created_at, the start of its chunk's transaction) to published_at
 *     and to the consumer's inbox processed_at;
 *   - the CPU of each service process, of Postgres and of the broker (Linux /proc), during the import
 *     and after it.
 * Keeps up: a consumer keeps up when it has applied its last event at most --window seconds (default 10)
 * after the relay published the last event of its topics (the criterion is printed with the figures).
 *
 * Isolation: its own database `eisss_bench_projection` (scripts/infra/postgres.js; social-register,
 * social-processing and case-management migrated into their schemas), its own KAFKA_TOPIC_PREFIX with the
 * catalogue topics and ACLs on the shared broker, free ports. The three services run as OS processes from
 * their built dists, each with its own database role and Kafka principal, tokens of the test identity
 * provider of libs/testing (tokenFor; the services get its public keys as AUTH_JWKS). Service settings are
 * the deployed defaults (OUTBOX_BATCH_SIZE, CONSUMER_BATCH_SIZE, … may be set in the environment: it is
 * passed on). The database, the topics, the consumer groups, the ACLs and the processes are removed at the
 * end, also on failure or Ctrl-C (--keep keeps the database). Logs (LOG_LEVEL, default info) go to files
 * in a temporary directory, printed on failure. SERVICE_NODE_ARGS are node options of the service processes
 * (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof: a profile of each, written when it stops).
 *   PGADMIN_URL   admin connection (default postgres://postgres@127.0.0.1:5432/postgres)
 */
'use strict';
const { legacyExtract } = require('./extract');
const { join, resolve } = require('node:path');
const { spawn } = require('node:child_process');
const { openSync, closeSync, mkdtempSync, rmSync, readFileSync, readdirSync, existsSync } = require('node:fs');
const { tmpdir, availableParallelism } = require('node:os');
const { randomBytes } = require('node:crypto');

const ROOT = join(__dirname, '..', '..');
const TESTING = join(ROOT, 'libs/testing/dist');
const DB = 'eisss_bench_projection';
const ENTITIES = ['persons', 'households', 'members', 'statuses'];
const SERVICES = [
  { name: 'social-register', schema: 'social_register' },
  { name: 'social-processing', schema: 'social_processing' },
  { name: 'case-management', schema: 'case_management' },
];
/** The consumer groups of the imported events: where their inbox is and the topics they take. */
const contracts = require('@eisss/contracts');
const TOPIC = {
  registered: contracts.PersonRegisteredV1.topic,
  household: contracts.HouseholdChangedV1.topic,
  status: contracts.StatusGrantedV1.topic,
};
const GROUPS = [
  { group: 'social-processing.person-projection', schema: 'social_processing', topics: [TOPIC.registered, TOPIC.status] },
  { group: 'social-processing.recalculation', schema: 'social_processing', topics: [TOPIC.status] },
  { group: 'case-management.intake', schema: 'case_management', topics: [TOPIC.status] },
  { group: 'social-register.dci-notify', schema: 'social_register', topics: [TOPIC.registered, TOPIC.household] },
];
const FILE_TOPIC = { persons: TOPIC.registered, households: null, members: TOPIC.household, statuses: TOPIC.status };

function parseArgs(argv) {
  const o = { persons: 20_000, dir: null, seed: 7, timeout: 600, window: 10, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--persons') o.persons = Number(argv[++i]);
    else if (a === '--dir') o.dir = resolve(argv[++i]);
    else if (a === '--seed') o.seed = Number(argv[++i]);
    else if (a === '--timeout') o.timeout = Number(argv[++i]);
    else if (a === '--window') o.window = Number(argv[++i]);
    else if (a === '--keep') o.keep = true;
    else throw new Error(`unknown argument ${a}`);
  }
  o.dir ??= `/tmp/eisss-legacy-${o.persons}`;
  return o;
}

const now = () => Date.now() / 1000;
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const k = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en').replace(/,/g, ' ') : '–');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ── set-up and tear-down (as bench/register/register-bench.js) ──────────────
function world() {
  const pg = require(join(ROOT, 'scripts/infra/postgres.js'));
  const platform = require('@eisss/platform');
  const repo = require(join(TESTING, 'repo.js'));
  const { migrateService } = require(join(ROOT, 'bench/migrate.js'));
  const prefix = `bench${randomBytes(3).toString('hex')}.`;
  const kafka = () => platform.createKafka({ clientId: 'bench-projection', ...repo.kafkaClientOptions('admin') });
  const steps = [];
  const adminDbUrl = () => {
    const u = new URL(pg.adminUrl());
    u.pathname = `/${DB}`;
    return u.toString();
  };
  return {
    prefix,
    pg,
    repo,
    adminDbUrl,
    async setUp(keep) {
      await pg.dropDatabase(DB);
      await pg.ensureDatabase(DB);
      if (!keep) steps.push(() => pg.dropDatabase(DB));
      for (const s of SERVICES) await migrateService(join(ROOT, 'services', s.name, 'dist'), pg.serviceDatabaseUrl(s.schema, DB));
      if (repo.kafkaSecured()) {
        steps.push(() => platform.removeAcls(kafka(), platform.catalogueAcls({ prefix })));
        await platform.ensureAcls(kafka(), platform.catalogueAcls({ prefix }));
      }
      steps.push(async () => {
        const admin = kafka().admin();
        await admin.connect();
        try {
          const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix));
          if (groups.length) await admin.deleteGroups(groups);
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

async function startService(w, svc, logDir) {
  const { freePort } = require(join(TESTING, 'service-process.js'));
  const { testAuthEnv } = require(join(TESTING, 'test-keys.js'));
  const port = await freePort();
  const logFile = join(logDir, `${svc.name}.log`);
  const fd = openSync(logFile, 'a');
  const nodeArgs = (process.env.SERVICE_NODE_ARGS || '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'services', svc.name, 'dist', 'main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: w.pg.serviceDatabaseUrl(svc.schema, DB),
      KAFKA_BROKERS: w.repo.KAFKA_BROKERS,
      KAFKA_TOPIC_PREFIX: w.prefix,
      ...w.repo.kafkaClientEnv(svc.name),
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
    if (exited !== null) throw new Error(`${svc.name} exited (${exited}) before ready:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return { ...svc, url, pid: child.pid, logFile, exited: () => exited };
    } catch {
      /* not listening yet */
    }
    await sleep(200);
  }
  throw new Error(`${svc.name} not ready within 60 s:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
}

// ── the import, as an operator does it ──────────────────────────────────────
async function importFile(register, token, file, fileName, timeoutS) {
  const body = readFileSync(file);
  const res = await fetch(`${register.url}/imports?fileName=${encodeURIComponent(fileName)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/gzip', 'content-length': String(body.length) },
    body,
  });
  const job = await res.json();
  if (res.status !== 202) throw new Error(`POST /imports ${fileName}: ${res.status} ${JSON.stringify(job).slice(0, 500)}`);
  const deadline = now() + timeoutS;
  for (;;) {
    await sleep(500);
    // A job whose background run threw stays in its phase (only the register's log says why): do not wait for ever.
    if (now() > deadline) throw new Error(`import job ${job.id} (${fileName}) not finished within ${timeoutS} s; see the register's log`);
    const r = await fetch(`${register.url}/imports/${job.id}`, { headers: { authorization: `Bearer ${token}` } });
    const j = await r.json();
    if (r.status !== 200) throw new Error(`GET /imports/${job.id}: ${r.status} ${JSON.stringify(j).slice(0, 500)}`);
    if (['completed', 'awaiting_approval', 'failed'].includes(j.status)) return j;
  }
}

// ── CPU of the processes (Linux /proc; clock ticks of 1/100 s) ───────────────
function cpuOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime
  } catch {
    return 0; // gone
  }
}
/**
 * CPU seconds so far: each service process, the postgres processes, the broker (java), this bench. A process
 * that ends keeps the CPU last seen of it (tick() every 500 ms with the samples: a postgres backend that
 * lives less than that is missed).
 */
function cpuTracker(procs) {
  const seen = new Map(); // pid → { kind, cpu }
  const tick = () => {
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      let kind = seen.get(d)?.kind;
      if (kind === undefined) {
        let comm;
        try {
          comm = readFileSync(`/proc/${d}/comm`, 'utf8').trim();
        } catch {
          continue;
        }
        kind = procs.find((p) => String(p.pid) === d)?.name ?? (comm === 'postgres' ? 'postgres' : comm === 'java' ? 'broker' : null);
        seen.set(d, { kind, cpu: 0 });
      }
      if (kind) seen.get(d).cpu = Math.max(seen.get(d).cpu, cpuOf(d));
    }
  };
  return {
    tick,
    snapshot() {
      tick();
      const u = process.cpuUsage();
      const out = { t: now(), bench: (u.user + u.system) / 1e6, postgres: 0, broker: 0 };
      for (const p of procs) out[p.name] = 0;
      for (const { kind, cpu } of seen.values()) if (kind) out[kind] += cpu;
      return out;
    },
  };
}
const cpuShare = (a, b, key) => (100 * (b[key] - a[key])) / (b.t - a.t);

// ── sampling ────────────────────────────────────────────────────────────────
const SAMPLE_SQL = `SELECT
  (SELECT coalesce(json_object_agg(topic, n), '{}') FROM (SELECT topic, count(*)::int AS n FROM social_register.outbox GROUP BY topic) t) AS produced,
  (SELECT count(*)::int FROM social_register.outbox WHERE published_at IS NULL) AS unpublished,
  (SELECT coalesce(json_agg(t), '[]') FROM (
     SELECT 'social_processing' AS schema, consumer_group, topic, count(*)::int AS n FROM social_processing.inbox GROUP BY 2, 3
     UNION ALL SELECT 'case_management', consumer_group, topic, count(*)::int FROM case_management.inbox GROUP BY 2, 3
     UNION ALL SELECT 'social_register', consumer_group, topic, count(*)::int FROM social_register.inbox GROUP BY 2, 3) t) AS applied,
  (SELECT count(*)::int FROM social_processing.person_projection) AS projected_persons,
  (SELECT count(*)::int FROM social_processing.person_status) AS projected_statuses`;

function sampler(db, onSample) {
  const samples = [];
  let stopped = false;
  let last = null;
  const take = async () => {
    const t = now();
    const { rows } = await db.query(SAMPLE_SQL);
    const r = rows[0];
    const produced = Object.values(r.produced).reduce((a, b) => a + b, 0);
    const groups = GROUPS.map((g) => {
      const applied = r.applied
        .filter((x) => x.schema === g.schema && x.consumer_group === g.group && g.topics.includes(x.topic))
        .reduce((a, x) => a + x.n, 0);
      const due = g.topics.reduce((a, tp) => a + (r.produced[tp] ?? 0), 0);
      return { applied, due, lag: due - applied };
    });
    last = { t, produced, unpublished: r.unpublished, groups, persons: r.projected_persons, statuses: r.projected_statuses };
    samples.push(last);
    return last;
  };
  const loop = (async () => {
    while (!stopped) {
      const t0 = Date.now();
      await take();
      onSample?.();
      await sleep(Math.max(0, 500 - (Date.now() - t0)));
    }
  })();
  return {
    samples,
    last: () => last,
    /** A sample taken now (besides the 500 ms ones). */
    fresh: take,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** Figures from the rows' own timestamps (epoch seconds), after the run. */
async function timings(db) {
  const relay = (
    await db.query(`SELECT count(*)::int AS n, extract(epoch FROM min(created_at)) AS first_created, extract(epoch FROM max(created_at)) AS last_created,
        extract(epoch FROM min(published_at)) AS first_published, extract(epoch FROM max(published_at)) AS last_published,
        percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM published_at - created_at)) AS delay,
        max(extract(epoch FROM published_at - created_at)) AS delay_max,
        (SELECT max(n) FROM (SELECT count(*) AS n FROM social_register.outbox WHERE published_at IS NOT NULL GROUP BY date_trunc('second', published_at)) s)::int AS peak
      FROM social_register.outbox`)
  ).rows[0];
  const perTopic = (
    await db.query(
      `SELECT topic, count(*)::int AS n, extract(epoch FROM max(published_at)) AS last_published FROM social_register.outbox GROUP BY topic`,
    )
  ).rows;
  const groups = [];
  for (const g of GROUPS) {
    const [row] = (
      await db.query(
        `SELECT count(*)::int AS n, extract(epoch FROM min(i.processed_at)) AS first_applied, extract(epoch FROM max(i.processed_at)) AS last_applied,
           percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM i.processed_at - o.created_at)) AS delay,
           max(extract(epoch FROM i.processed_at - o.created_at)) AS delay_max,
           (SELECT max(n) FROM (SELECT count(*) AS n FROM ${g.schema}.inbox WHERE consumer_group = $1 AND topic = ANY($2)
                                GROUP BY date_trunc('second', processed_at)) s)::int AS peak
         FROM ${g.schema}.inbox i JOIN social_register.outbox o ON o.event_id = i.event_id
         WHERE i.consumer_group = $1 AND i.topic = ANY($2)`,
        [g.group, g.topics],
      )
    ).rows;
    const byTopic = (
      await db.query(
        `SELECT topic, extract(epoch FROM max(processed_at)) AS last_applied FROM ${g.schema}.inbox WHERE consumer_group = $1 GROUP BY topic`,
        [g.group],
      )
    ).rows;
    groups.push({ ...g, ...row, byTopic: Object.fromEntries(byTopic.map((x) => [x.topic, Number(x.last_applied)])) });
  }
  return { relay, perTopic: Object.fromEntries(perTopic.map((x) => [x.topic, x])), groups };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const { Role } = contracts;
  const { tokenFor } = require(join(TESTING, 'service-process.js'));
  const { Client } = require('pg');
  const manifest = await legacyExtract(o);
  const w = world();
  const logDir = mkdtempSync(join(tmpdir(), 'eisss-bench-projection-'));
  let failed = false;
  let db;
  let sampling;
  const onSignal = () => {
    process.stderr.write('\ninterrupted: cleaning up\n');
    Promise.resolve(sampling?.stop())
      .catch(() => undefined)
      .then(() => w.tearDown())
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await w.setUp(o.keep);
    const procs = [];
    for (const s of SERVICES) procs.push(await startService(w, s, logDir));
    const register = procs[0];
    db = new Client({ connectionString: w.adminDbUrl() });
    db.on('error', () => undefined); // the database is dropped under it at the end (or on Ctrl-C)
    await db.connect();
    const token = tokenFor({ id: 'bench-national-registrar', roles: [Role.Registrar], territory: 'UA' });
    const rows = Object.fromEntries(ENTITIES.map((e) => [e, manifest.files[e].rows]));
    process.stdout.write(
      `projection bench: ${k(o.persons)} persons — ${ENTITIES.map((e) => `${e} ${k(rows[e])}`).join(', ')} rows (gzip CP1251, ${o.dir}); ` +
        `database ${DB}, topics ${w.prefix}*, Node ${process.version}, LOG_LEVEL ${process.env.LOG_LEVEL || 'info'}\n` +
        `  ${procs.map((p) => `${p.name} pid ${p.pid}`).join(', ')}; ` +
        `OUTBOX_BATCH_SIZE ${process.env.OUTBOX_BATCH_SIZE || '500 (default)'}, CONSUMER_BATCH_SIZE ${process.env.CONSUMER_BATCH_SIZE || '100 (default)'}, ` +
        `CONSUMER_PARTITIONS_CONCURRENTLY ${process.env.CONSUMER_PARTITIONS_CONCURRENTLY || '3 (default)'}, 3 partitions a topic\n`,
    );

    // The import, sampled from its first upload.
    const cpu = cpuTracker(procs);
    cpu.tick();
    sampling = sampler(db, cpu.tick);
    const cpu0 = cpu.snapshot();
    const t0 = now();
    const jobs = {};
    for (const e of ENTITIES) {
      const start = now();
      const before = (await sampling.fresh()).produced;
      const job = await importFile(register, token, join(o.dir, manifest.files[e].path), manifest.files[e].path, o.timeout);
      const end = now();
      jobs[e] = { job, start: start - t0, end: end - t0 };
      const s = await sampling.fresh();
      process.stderr.write(
        `  ${e}: ${job.status}, ${k(job.totalRows)} rows, ${k(job.createdRows)} created, ${k(job.rejectedRows)} rejected in ${f1(end - start)} s; ` +
          `outbox ${k(s.produced)} (+${k(s.produced - before)}), unpublished ${k(s.unpublished)}, ` +
          `lag ${GROUPS.map((g, i) => `${g.group} ${k(s.groups[i].lag)}`).join(', ')}\n`,
      );
      if (job.status !== 'completed') throw new Error(`${e}: job ${job.id} ${job.status}`);
    }
    const importEnd = now();
    const atImportEnd = await sampling.fresh();
    const cpu1 = cpu.snapshot();

    // Until every consumer has applied every event of its topics (and the projections hold the register's rows).
    const [reg] = (
      await db.query(`SELECT (SELECT count(*)::int FROM social_register.person) AS persons,
          (SELECT count(*)::int FROM social_register.household) AS households,
          (SELECT count(*)::int FROM social_register.household_member) AS members,
          (SELECT count(*)::int FROM social_register.person_status) AS statuses`)
    ).rows;
    let caughtUp = false;
    while (now() - importEnd < o.timeout) {
      const s = sampling.last();
      for (const p of procs) if (p.exited() !== null) throw new Error(`${p.name} exited (${p.exited()}) during the run`);
      if (
        s.t > importEnd &&
        s.unpublished === 0 &&
        s.groups.every((g) => g.lag <= 0) &&
        s.persons >= reg.persons &&
        s.statuses >= reg.statuses
      ) {
        caughtUp = true;
        break;
      }
      await sleep(500);
    }
    await sampling.stop();
    const cpu2 = cpu.snapshot();
    const end = sampling.last();
    const tm = await timings(db);
    const rel = (x) => (x === null || x === undefined ? NaN : Number(x) - t0);

    // ── the figures ──
    const relayDone = rel(tm.relay.last_published);
    const out = [];
    out.push(
      `\n| file | rows | created / rejected | import (from upload to completed) | events (topic) | relay published all at | ` +
        `${GROUPS.map((g) => g.group).join(' | ')} |`,
    );
    out.push(`|${'---|'.repeat(6 + GROUPS.length)}`);
    for (const e of ENTITIES) {
      const j = jobs[e];
      const tp = FILE_TOPIC[e];
      const ev = tp ? tm.perTopic[tp] : null;
      const cells = tm.groups.map((g) => (tp && g.topics.includes(tp) ? `${f1(g.byTopic[tp] - t0)} s` : '–'));
      out.push(
        `| ${e} | ${k(rows[e])} | ${k(j.job.createdRows)} / ${k(j.job.rejectedRows)} | ${f1(j.end - j.start)} s (${f1(j.start)} → ${f1(j.end)}) | ` +
          `${ev ? `${k(ev.n)} (${tp.replace('social-register.', '')})` : '0 (household.changed comes with the members)'} | ` +
          `${ev ? `${f1(rel(ev.last_published))} s` : '–'} | ${cells.join(' | ')} |`,
      );
    }
    const importS = importEnd - t0;
    out.push(
      `| **all** | ${k(ENTITIES.reduce((a, e) => a + rows[e], 0))} | | **${f1(importS)} s** | **${k(tm.relay.n)}** | **${f1(relayDone)} s** | ` +
        `${tm.groups.map((g) => `**${f1(rel(g.last_applied))} s**`).join(' | ')} |`,
    );
    out.push('  (times in seconds from the first upload)\n');

    const maxUnpub = Math.max(...sampling.samples.map((s) => s.unpublished));
    const produceS = Number(tm.relay.last_created) - Number(tm.relay.first_created);
    out.push(
      `| stage | events | done at | after the relay's last event of its topics | average events/s | peak events/s (1 s) | max lag sampled (events) | lag at import end | delay from outbox row p50 / p99 / max | keeps up |`,
    );
    out.push('|---|---|---|---|---|---|---|---|---|---|');
    out.push(
      `| produced (import → outbox) | ${k(tm.relay.n)} | ${f1(rel(tm.relay.last_created))} s | | ${k(tm.relay.n / importS)} over the import | | | | | |`,
    );
    out.push(
      `| relay (outbox → Kafka) | ${k(tm.relay.n)} | ${f1(relayDone)} s | | ${k(tm.relay.n / (Number(tm.relay.last_published) - Number(tm.relay.first_created)))} | ` +
        `${k(tm.relay.peak)} | ${k(maxUnpub)} unpublished | ${k(atImportEnd.unpublished)} | ` +
        `${f2(tm.relay.delay?.[0])} / ${f2(tm.relay.delay?.[1])} / ${f2(Number(tm.relay.delay_max))} s | |`,
    );
    const verdicts = [];
    tm.groups.forEach((g, i) => {
      const done = rel(g.last_applied);
      // The relay's last publish of this group's topics: from then on the group can only be behind by its own work.
      const relayOfTopics = Math.max(...g.topics.map((tp) => rel(tm.perTopic[tp]?.last_published)).filter(Number.isFinite));
      const expected = end.groups[i].due;
      const complete = g.n >= expected && expected > 0;
      const keeps = complete && done - relayOfTopics <= o.window;
      verdicts.push({ group: g.group, keeps, complete });
      const maxLag = Math.max(...sampling.samples.map((s) => s.groups[i].lag));
      out.push(
        `| ${g.group} | ${k(g.n)} of ${k(expected)} | ${f1(done)} s | +${f1(done - relayOfTopics)} s | ` +
          `${k(g.n / (Number(g.last_applied) - Number(tm.relay.first_created)))} | ${k(g.peak)} | ${k(maxLag)} | ${k(atImportEnd.groups[i].lag)} | ` +
          `${f2(g.delay?.[0])} / ${f2(g.delay?.[1])} / ${f2(Number(g.delay_max))} s | ${keeps ? 'yes' : 'no'}${complete ? '' : ' (not all applied)'} |`,
      );
    });
    out.push(
      `\n  keeps up = the consumer applied its last event at most ${o.window} s after the relay published the last event of its topics ` +
        `(and all of them); average rates over first outbox row → last published/applied; delay = published_at or inbox processed_at ` +
        `− the outbox row's created_at (the start of its chunk's transaction)`,
    );
    out.push(
      `  register: ${k(reg.persons)} persons, ${k(reg.households)} households, ${k(reg.members)} members, ${k(reg.statuses)} statuses; ` +
        `social-processing projection: ${k(end.persons)} persons ${end.persons === reg.persons ? '✓' : '✗'}, ` +
        `${k(end.statuses)} statuses ${end.statuses === reg.statuses ? '✓' : '✗'}; ` +
        `${caughtUp ? 'all caught up' : `NOT caught up within ${o.timeout} s after the import`}; ` +
        `${sampling.samples.length} samples over ${f1(end.t - t0)} s; produce span ${f1(produceS)} s`,
    );
    const cpuKeys = [...SERVICES.map((x) => x.name), 'postgres', 'broker', 'bench'];
    const cpuLine = (a, b) => cpuKeys.map((key) => `${key} ${f1(cpuShare(a, b, key))}`).join(', ');
    out.push(
      `  CPU, % of one core (${availableParallelism()} cores; postgres = all its processes, broker = the java processes): ` +
        `import (${f1(cpu1.t - cpu0.t)} s) ${cpuLine(cpu0, cpu1)}; after the import (${f1(cpu2.t - cpu1.t)} s) ${cpuLine(cpu1, cpu2)}`,
    );
    out.push(
      `  keeps up: ${verdicts.every((v) => v.keeps) ? 'yes' : 'no'} (${verdicts.map((v) => `${v.group} ${v.keeps ? 'yes' : 'no'}`).join(', ')})`,
    );
    process.stdout.write(`${out.join('\n')}\n`);
    if (!caughtUp) process.exitCode = 1;
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await sampling?.stop().catch(() => undefined);
    await db?.end().catch(() => undefined);
    if (failed)
      for (const s of SERVICES) {
        const f = join(logDir, `${s.name}.log`);
        if (existsSync(f)) process.stderr.write(`--- ${s.name} log (last 2000 chars)\n${readFileSync(f, 'utf8').slice(-2000)}\n`);
      }
    await w.tearDown();
    rmSync(logDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err.message}\n`);
  process.exit(1);
});
