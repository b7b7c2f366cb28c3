#!/usr/bin/env node
/**
 * The lint step of `npm test`: ESLint (--max-warnings 0) and `prettier --check`.
 * LINT_SCOPE picks what is linted: `all` (default, the whole repository) or a space/comma separated
 * list of paths (e.g. `LINT_SCOPE="libs tests scripts bench"`); `off` skips the step.
 */
const { join } = require('node:path');
const lib = require('./lib');

function lintScope(env = process.env) {
  const raw = (env.LINT_SCOPE ?? 'all').trim();
  if (raw === '' || raw === 'all') return ['.'];
  if (raw === 'off') return [];
  return raw.split(/[\s,]+/).filter(Boolean);
}

function lint(env = process.env) {
  const paths = lintScope(env);
  if (paths.length === 0) return lib.say('lint skipped (LINT_SCOPE=off)');
  lib.say(`linting ${paths.join(' ')} (eslint --max-warnings 0, prettier --check)`);
  lib.run(process.execPath, [join(lib.ROOT, 'node_modules/eslint/bin/eslint.js'), '--max-warnings', '0', ...paths]);
  lib.run(process.execPath, [join(lib.ROOT, 'node_modules/prettier/bin/prettier.cjs'), '--check', ...paths]);
}

module.exports = { lint, lintScope };

if (require.main === module) {
  try {
    lint();
  } catch (err) {
    process.stderr.write(`[eisss] ${err.message}\n`);
    process.exit(1);
  }
}
