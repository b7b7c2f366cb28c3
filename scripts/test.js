#!/usr/bin/env node
/**
 * `npm test`: installs, lints (ESLint + Prettier, scope from LINT_SCOPE, see scripts/lint.js), builds (type-checks everything), starts Kafka, then runs every Jest project
 * (unit, integration against real Postgres + Kafka, cross-service flows). Results: reports/jest-results.json.
 * Ends with the plain line `N passed, N failed`. Extra arguments go to Jest (`npm test -- services/e-budget`).
 */
const { spawnSync } = require('node:child_process');
const { mkdirSync, existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const lib = require('./lib');
const { lint } = require('./lint');

function summary(file) {
  if (!existsSync(file)) return null;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const failedSuites = r.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
  return { passed: r.numPassedTests, failed: r.numFailedTests + failedSuites, skipped: r.numPendingTests + r.numTodoTests };
}

function main() {
  lib.checkNode();
  lib.install();
  lint(); // LINT_SCOPE=all (default) | "<paths…>" | off — see scripts/lint.js
  lib.build();
  lib.typecheckTests();
  lib.kafka('start');
  const reports = join(lib.ROOT, 'reports');
  mkdirSync(reports, { recursive: true });
  const out = join(reports, 'jest-results.json');
  const args = [
    join(lib.ROOT, 'node_modules/jest/bin/jest.js'),
    '--json',
    `--outputFile=${out}`,
    '--maxWorkers=2',
    '--forceExit',
    ...process.argv.slice(2),
  ];
  if (process.env.CI) args.push('--ci');
  lib.say(`running tests: jest ${args.slice(1).join(' ')}`);
  const r = spawnSync(process.execPath, args, { cwd: lib.ROOT, stdio: 'inherit', env: { ...process.env, TEST_BUILD: '0' } });
  const s = summary(out);
  if (s) process.stdout.write(`\n${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}\n`);
  process.exit(r.status ?? 1);
}

try {
  main();
} catch (err) {
  process.stderr.write(`[eisss] test failed to start: ${err.message}\n`);
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}
