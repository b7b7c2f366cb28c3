#!/usr/bin/env node
/** `npm stop`: stops the services `npm start` started (SIGTERM, graceful), the project's Kafka broker and its Keycloak. */
const { existsSync, readFileSync, rmSync } = require('node:fs');
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

async function main() {
  for (const s of lib.services()) {
    const pidFile = join(lib.RUN_DIR, `${s.name}.pid`);
    if (!existsSync(pidFile)) continue;
    const pid = Number(readFileSync(pidFile, 'utf8'));
    if (alive(pid)) {
      process.kill(pid, 'SIGTERM');
      const deadline = Date.now() + 20_000;
      while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      if (alive(pid)) process.kill(pid, 'SIGKILL');
      lib.say(`${s.name} stopped`);
    }
    rmSync(pidFile, { force: true });
  }
  if (!process.argv.includes('--keep-kafka')) lib.kafka('stop');
  if (!process.argv.includes('--keep-keycloak') && !process.env.AUTH_ISSUER) lib.keycloak('stop');
}

main().catch((err) => {
  process.stderr.write(`[eisss] stop failed: ${err.message}\n`);
  process.exit(1);
});
