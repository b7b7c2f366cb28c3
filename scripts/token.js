#!/usr/bin/env node
/**
 * `npm run token -- --role officer --territory UA46`: prints an access token of the local Keycloak
 * (scripts/infra/keycloak.sh, realm scripts/infra/keycloak/eisss-realm.json) for local use:
 *   curl -H "authorization: Bearer $(npm run -s token -- --role officer --territory UA46)" http://127.0.0.1:3001/...
 * It logs in as the realm's test user <role>-<territory> (officer-ua46, treasurer-ua, ...) with the
 * password grant of the development client eisss-dev-cli; `--role system` takes a service-account
 * token (client credentials of eisss-services).
 * Options: --role R (required), --territory UA|UA46|UA80 (default UA), --user NAME, --password PW,
 * --decode (also print the claims to stderr), --start (start Keycloak first if it is not running).
 * Without --start, a Keycloak that is not running is an error (exit 2) that says how to start it:
 * tokens are never minted locally, so what the services accept is what the provider issues.
 */
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const PORT = process.env.KEYCLOAK_PORT ?? '8180';
const ISSUER = process.env.KEYCLOAK_ISSUER ?? `http://127.0.0.1:${PORT}/realms/eisss`;
const DEV_PASSWORD = 'dev-only-password';
const SERVICE_CLIENT = { id: 'eisss-services', secret: 'dev-only-eisss-services-secret' };

function fail(message, code = 1) {
  process.stderr.write(`[token] ${message}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const opts = { territory: 'UA', decode: false, start: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) fail(`${a} needs a value`);
      return v;
    };
    if (a === '--role') opts.role = value();
    else if (a === '--territory') opts.territory = value();
    else if (a === '--user') opts.user = value();
    else if (a === '--password') opts.password = value();
    else if (a === '--decode') opts.decode = true;
    else if (a === '--start') opts.start = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(
        'usage: npm run token -- --role <role> [--territory UA|UA46|UA80] [--user NAME] [--password PW] [--decode] [--start]\n',
      );
      process.exit(0);
    } else fail(`unknown argument ${a} (see --help)`);
  }
  if (!opts.role && !opts.user) fail('--role is required (e.g. --role officer --territory UA46)');
  if (!/^UA[0-9]{0,17}$/.test(opts.territory))
    fail(`--territory must be a КАТОТТГ prefix such as UA, UA46 or UA80 (got ${opts.territory})`);
  return opts;
}

async function running() {
  try {
    const res = await fetch(`${ISSUER}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(3000) });
    return res.ok;
  } catch {
    return false;
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!(await running())) {
    if (!opts.start)
      fail(`Keycloak is not running at ${ISSUER}: start it with \`npm run infra:keycloak\` (or \`npm start\`), or pass --start`, 2);
    const r = spawnSync('bash', [join(ROOT, 'scripts/infra/keycloak.sh'), 'ensure'], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) fail('Keycloak did not start (see above)');
  }
  const body =
    opts.role === 'system'
      ? new URLSearchParams({ grant_type: 'client_credentials', client_id: SERVICE_CLIENT.id, client_secret: SERVICE_CLIENT.secret })
      : new URLSearchParams({
          grant_type: 'password',
          client_id: 'eisss-dev-cli',
          username: opts.user ?? `${opts.role}-${opts.territory.toLowerCase()}`,
          password: opts.password ?? DEV_PASSWORD,
          scope: 'openid',
        });
  const res = await fetch(`${ISSUER}/protocol/openid-connect/token`, { method: 'POST', body, signal: AbortSignal.timeout(60_000) });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok || typeof answer.access_token !== 'string') {
    const who = body.get('username') ?? SERVICE_CLIENT.id;
    fail(
      `Keycloak refused ${who}: ${answer.error ?? res.status} ${answer.error_description ?? ''}`.trim() +
        (answer.error === 'invalid_grant'
          ? ' (test users are <role>-ua, <role>-ua46 and <role>-ua80; see scripts/infra/keycloak/eisss-realm.json)'
          : ''),
    );
  }
  if (opts.decode) {
    const claims = JSON.parse(Buffer.from(answer.access_token.split('.')[1], 'base64url').toString('utf8'));
    const { sub, iss, aud, exp, roles, territory, personId } = claims;
    process.stderr.write(
      `${JSON.stringify({ sub, iss, aud, exp: new Date(exp * 1000).toISOString(), roles, territory, personId }, null, 2)}\n`,
    );
  }
  process.stdout.write(`${answer.access_token}\n`);
}

main().catch((err) => fail(err.message));
