#!/usr/bin/env node
/**
 * `npm start`: installs, builds, starts Kafka (KRaft, from Maven Central), Keycloak (the identity provider,
 * scripts/infra/keycloak.sh) and prepares Postgres,
 * migrates, creates topics, then runs all six services in the background and waits until each is ready.
 * Logs: .infra/run/<service>.log. `npm stop` stops them. `npm start -- --foreground` stays attached.
 */
const { spawn } = require('node:child_process');
const { openSync, readFileSync, writeFileSync, existsSync } = require('node:fs');
const { join } = require('node:path');
const lib = require('./lib');

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function ready(port) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
    return res.ok;
  } catch {
    return false;
  }
}

async function main() {
  const foreground = process.argv.includes('--foreground');
  lib.checkNode();
  lib.install();
  lib.build();
  lib.kafka('start');
  lib.keycloak('start');
  await lib.prepareData();
  const dir = lib.ensureRunDir();
  const children = [];
  for (const s of lib.services()) {
    const pidFile = join(dir, `${s.name}.pid`);
    const port = Number(process.env[`${s.schema.toUpperCase()}_PORT`] ?? s.port);
    if (existsSync(pidFile) && alive(Number(readFileSync(pidFile, 'utf8')))) {
      lib.say(`${s.name} already running (pid ${readFileSync(pidFile, 'utf8').trim()})`);
      continue;
    }
    const log = openSync(join(dir, `${s.name}.log`), 'a');
    const child = spawn(process.execPath, [join(lib.ROOT, 'services', s.name, 'dist', 'main.js')], {
      cwd: lib.ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: lib.serviceDatabaseUrl(s.schema),
        ...lib.kafkaEnv(s.name),
        ...lib.authEnv(),
      },
      stdio: foreground ? 'inherit' : ['ignore', log, log],
      detached: !foreground,
    });
    writeFileSync(pidFile, String(child.pid));
    if (!foreground) child.unref();
    children.push(child);
  }
  const deadline = Date.now() + 90_000;
  const pending = new Set(lib.services().map((s) => s.name));
  while (pending.size > 0 && Date.now() < deadline) {
    for (const s of lib.services()) {
      if (pending.has(s.name) && (await ready(Number(process.env[`${s.schema.toUpperCase()}_PORT`] ?? s.port)))) pending.delete(s.name);
    }
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 500));
  }
  if (pending.size > 0) throw new Error(`not ready within 90 s: ${[...pending].join(', ')} (see .infra/run/<service>.log)`);
  lib.say('all six services are ready:');
  for (const s of lib.services()) {
    const port = process.env[`${s.schema.toUpperCase()}_PORT`] ?? s.port;
    process.stdout.write(`  ${s.name.padEnd(18)} http://127.0.0.1:${port}   docs http://127.0.0.1:${port}/docs\n`);
  }
  process.stdout.write(`  kafka              127.0.0.1:${process.env.KAFKA_PORT ?? 9092}\n  logs               .infra/run/<service>.log\n`);
  process.stdout.write(`  identity provider  ${lib.authEnv().AUTH_ISSUER}   tokens: npm run token -- --role officer --territory UA46\n`);
  if (!foreground) lib.say('running in the background; `npm stop` stops them');
  else {
    const stop = () => children.forEach((c) => c.kill('SIGTERM'));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }
}

main().catch((err) => {
  process.stderr.write(`[eisss] start failed: ${err.message}\n`);
  process.exit(1);
});
