/** Shared steps of `npm start`, `npm test` and `npm stop`. Node built-ins only until dependencies are installed. */
const { execFileSync, spawnSync } = require('node:child_process');
const { existsSync, statSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const RUN_DIR = join(ROOT, '.infra', 'run');

function say(msg) {
  process.stdout.write(`\x1b[1m[eisss]\x1b[0m ${msg}\n`);
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 11)) throw new Error(`Node.js ≥ 20.11 is required (found ${process.versions.node})`);
}

/** `npm ci` when node_modules is missing or older than the lockfile. */
function install() {
  const marker = join(ROOT, 'node_modules', '.package-lock.json');
  const lock = join(ROOT, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return say('dependencies up to date');
  say('installing dependencies (npm ci)');
  const ci = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (ci.status === 0) return;
  // With omit-lockfile-registry-resolved (no registry hosts in the lockfile), npm 11 leaves other
  // platforms' optional packages out of the lock, and `npm ci` then refuses it as out of sync.
  // `npm install` installs the same locked versions.
  if (/can only install packages when your package\.json and package-lock\.json/.test(ci.stderr ?? '')) {
    say('npm ci refused the lockfile (optional packages of other platforms); installing the locked versions with npm install');
    run('npm', ['install', '--no-audit', '--no-fund']);
    return;
  }
  process.stderr.write(ci.stderr ?? '');
  throw new Error(`npm ci failed (exit ${ci.status})`);
}

function build() {
  say('building (tsc -b tsconfig.build.json)');
  run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.build.json']);
}

/** Type-checks the tests too (Jest's swc transform only strips types). */
function typecheckTests() {
  say('type-checking tests (tsc -p tsconfig.spec.json)');
  run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.spec.json']);
}

function kafka(command = 'start') {
  if (process.env.KAFKA_BROKERS && command === 'start') return say(`using Kafka at ${process.env.KAFKA_BROKERS}`);
  run('bash', [join(ROOT, 'scripts/infra/kafka.sh'), command]);
}

/** The project's Keycloak (the OpenID Connect provider), unless AUTH_ISSUER names another provider. */
function keycloak(command = 'start') {
  if (process.env.AUTH_ISSUER && command === 'start') return say(`using the identity provider ${process.env.AUTH_ISSUER}`);
  run('bash', [join(ROOT, 'scripts/infra/keycloak.sh'), command]);
}

/** Where the services get their tokens' issuer and keys: AUTH_ISSUER / AUTH_JWKS_URL when given, else the project's Keycloak realm. */
function authEnv() {
  const issuer = process.env.AUTH_ISSUER ?? `http://127.0.0.1:${process.env.KEYCLOAK_PORT ?? 8180}/realms/eisss`;
  return { AUTH_ISSUER: issuer, AUTH_JWKS_URL: process.env.AUTH_JWKS_URL ?? `${issuer}/protocol/openid-connect/certs` };
}

function services() {
  return require('./infra/services').SERVICES;
}

/**
 * The Kafka principal's credentials for a service (or `admin`): those of the project's broker
 * (.infra/kafka/credentials.json) on its port (KAFKA_PORT, default 9092), unless KAFKA_BROKERS names another
 * broker (then the caller's env applies).
 */
function kafkaEnv(principal) {
  if (process.env.KAFKA_BROKERS) return {};
  return { KAFKA_BROKERS: `127.0.0.1:${process.env.KAFKA_PORT ?? 9092}`, ...require('./infra/kafka-credentials').clientEnv(principal) };
}

/** The connection string of a service: DATABASE_URL_<SCHEMA> when given, else its role on the prepared database. */
function serviceDatabaseUrl(schema) {
  const pg = require('./infra/postgres');
  return process.env[`DATABASE_URL_${schema.toUpperCase()}`] ?? pg.serviceDatabaseUrl(schema, process.env.DB_NAME ?? 'eisss');
}

/** Database, roles, schemas, migrations (each service's own migrate command) and topics. */
async function prepareData() {
  const pg = require('./infra/postgres');
  const db = process.env.DB_NAME ?? 'eisss';
  await pg.ensureDatabase(db);
  say(`postgres: database ${db} with one schema and role per service`);
  for (const s of services()) {
    execFileSync(process.execPath, [join(ROOT, 'services', s.name, 'dist', 'migrate.js'), 'up'], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, DATABASE_URL: serviceDatabaseUrl(s.schema) },
    });
  }
  run(process.execPath, [join(ROOT, 'scripts/infra/topics.js')], { env: { ...process.env, ...kafkaEnv('admin') } });
}

function ensureRunDir() {
  mkdirSync(RUN_DIR, { recursive: true });
  return RUN_DIR;
}

module.exports = {
  ROOT,
  RUN_DIR,
  say,
  run,
  checkNode,
  install,
  build,
  typecheckTests,
  kafka,
  kafkaEnv,
  keycloak,
  authEnv,
  services,
  prepareData,
  ensureRunDir,
  serviceDatabaseUrl,
};
