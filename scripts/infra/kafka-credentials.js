#!/usr/bin/env node
/**
 * Development credentials of the project's Kafka broker (scripts/infra/kafka.sh): one SCRAM-SHA-512
 * principal per service, per inbound adapter and `admin` (set-up scripts, tests). The passwords are
 * generated once into <KAFKA_HOME_DIR>/credentials.json (default .infra/kafka, git-ignored); the broker's
 * self-signed certificate (PEM) is <KAFKA_HOME_DIR>/ca.pem. Never used in production.
 *   node scripts/infra/kafka-credentials.js scram-args|fingerprint|password NAME|jaas-password
 */
const { randomBytes, createHash } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { SERVICES } = require('./services');

/** The inbound adapters: one per external producer of the catalogue (ExternalProducers in libs/contracts). */
const ADAPTERS = ['crvs', 'border-guard', 'tax-income', 'bank-deposits', 'vehicle-register', 'property-register', 'employment-centre'];
const ADMIN = 'admin';
const PRINCIPALS = [ADMIN, ...SERVICES.map((s) => s.name), ...ADAPTERS];

function kafkaHome() {
  return process.env.KAFKA_HOME_DIR ?? resolve(__dirname, '../../.infra/kafka');
}
function credentialsFile() {
  return join(kafkaHome(), 'credentials.json');
}
function caFile() {
  return join(kafkaHome(), 'ca.pem');
}

/** Reads the credentials file, adding a password for every principal that has none (and the keystore's). */
function ensureCredentials() {
  const file = credentialsFile();
  const current = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { users: {} };
  let changed = !existsSync(file);
  const secret = () => randomBytes(18).toString('base64url');
  for (const name of PRINCIPALS) {
    if (!current.users[name]) {
      current.users[name] = secret();
      changed = true;
    }
  }
  if (!current.keystorePassword) {
    current.keystorePassword = secret();
    changed = true;
  }
  if (changed) {
    mkdirSync(kafkaHome(), { recursive: true });
    writeFileSync(file, JSON.stringify(current, null, 2) + '\n', { mode: 0o600 });
  }
  return current;
}

/** Reads the credentials without creating them (clients: tests, npm start). */
function readCredentials() {
  const file = credentialsFile();
  if (!existsSync(file)) throw new Error(`${file} is missing: start the broker first (bash scripts/infra/kafka.sh start)`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** The environment a service (or the admin) needs to connect to the development broker as `name`. */
function clientEnv(name) {
  const creds = readCredentials();
  const password = creds.users[name];
  if (!password) throw new Error(`no Kafka principal ${name} in ${credentialsFile()}`);
  return { KAFKA_SASL_USERNAME: name, KAFKA_SASL_PASSWORD: password, KAFKA_SSL_CA_FILE: caFile() };
}

/** The SCRAM users, as a fingerprint: the broker's storage is re-formatted when it changes. */
function fingerprint(creds) {
  const h = createHash('sha256');
  for (const name of [...PRINCIPALS].sort()) h.update(`${name}=${creds.users[name]}\n`);
  return h.digest('hex');
}

module.exports = { ADMIN, ADAPTERS, PRINCIPALS, kafkaHome, credentialsFile, caFile, ensureCredentials, readCredentials, clientEnv };

if (require.main === module) {
  const [cmd, arg] = process.argv.slice(2);
  const creds = ensureCredentials();
  if (cmd === 'scram-args') {
    for (const name of PRINCIPALS) process.stdout.write(`--add-scram\nSCRAM-SHA-512=[name=${name},password=${creds.users[name]}]\n`);
  } else if (cmd === 'fingerprint') {
    process.stdout.write(fingerprint(creds) + '\n');
  } else if (cmd === 'password') {
    const p = arg === 'keystore' ? creds.keystorePassword : creds.users[arg];
    if (!p) process.exit(2);
    process.stdout.write(p + '\n');
  } else {
    process.stderr.write('usage: kafka-credentials.js scram-args|fingerprint|password NAME\n');
    process.exit(2);
  }
}
