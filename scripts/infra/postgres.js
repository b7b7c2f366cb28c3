#!/usr/bin/env node
/**
 * Prepares Postgres: the database, one login role per service and, for each, the schema it owns,
 * and its append-only audit trail (<schema>_audit, owned by eisss_audit: the service may only INSERT
 * and SELECT there). A role can use only its own schema (PUBLIC has no rights on the database's schemas).
 *   PGADMIN_URL   admin connection; else DATABASE_URL when given (a role that may create databases and roles);
 *                 else the local server postgres://postgres@127.0.0.1:5432/postgres
 *   DB_NAME       database name (default eisss)
 *   DB_PASSWORD   password of the service roles (default: none; local trust auth)
 * Usage: node scripts/infra/postgres.js [database-name]
 */
const { Client } = require('pg');
const { SERVICES } = require('./services');

function adminUrl() {
  return process.env.PGADMIN_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
}

function withDatabase(url, db) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

const ident = (s) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(s)) throw new Error(`unsafe identifier ${s}`);
  return s;
};

/** Owns every service's audit trail; nobody logs in as it. */
const AUDIT_OWNER = 'eisss_audit';

/**
 * The audit trail of a service: a schema and table owned by AUDIT_OWNER, on which the service role
 * may only INSERT and SELECT (no UPDATE, DELETE, TRUNCATE, ALTER or DROP: it owns neither the table
 * nor the schema). Created here, by the administrator, because a service's own migrations cannot
 * create objects it must not own. Columns as libs/platform AuditLog writes them.
 */
function auditTrailStatements(role) {
  const schema = `${role}_audit`;
  return [
    `CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${AUDIT_OWNER}`,
    `REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC`,
    `CREATE TABLE IF NOT EXISTS ${schema}.audit_log (
       id bigserial PRIMARY KEY,
       occurred_at timestamptz NOT NULL DEFAULT now(),
       actor_id text NOT NULL,
       actor_roles text[] NOT NULL,
       action text NOT NULL,
       subject_type text NOT NULL,
       subject_id text NOT NULL,
       purpose text,
       correlation_id text,
       source_service text
     )`,
    `CREATE INDEX IF NOT EXISTS audit_log_subject_idx ON ${schema}.audit_log (subject_type, subject_id, occurred_at)`,
    `ALTER TABLE ${schema}.audit_log OWNER TO ${AUDIT_OWNER}`,
    `REVOKE ALL ON ${schema}.audit_log FROM PUBLIC`,
    `GRANT USAGE ON SCHEMA ${schema} TO ${role}`,
    `GRANT INSERT, SELECT ON ${schema}.audit_log TO ${role}`,
    `GRANT USAGE ON SEQUENCE ${schema}.audit_log_id_seq TO ${role}`,
  ];
}

async function ensureRoles(admin) {
  const password = process.env.DB_PASSWORD;
  const { rowCount: auditOwner } = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [AUDIT_OWNER]);
  if (auditOwner === 0) await admin.query(`CREATE ROLE ${AUDIT_OWNER} NOLOGIN`);
  for (const s of SERVICES) {
    const role = ident(s.schema);
    const { rowCount } = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    const pw = password ? ` PASSWORD '${password.replace(/'/g, "''")}'` : '';
    if (rowCount === 0) await admin.query(`CREATE ROLE ${role} LOGIN${pw}`);
    else if (password) await admin.query(`ALTER ROLE ${role} LOGIN${pw}`);
    await admin.query(`ALTER ROLE ${role} SET search_path = ${role}`);
  }
}

/** Creates the database (optionally from a template) when missing, then the schemas owned by their roles. */
async function ensureDatabase(name, { template } = {}) {
  const dbName = ident(name);
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await ensureRoles(admin);
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (rowCount === 0) await admin.query(`CREATE DATABASE ${dbName}${template ? ` TEMPLATE ${ident(template)}` : ''}`);
  } finally {
    await admin.end();
  }
  const db = new Client({ connectionString: withDatabase(adminUrl(), dbName) });
  await db.connect();
  try {
    await db.query(`REVOKE ALL ON DATABASE ${dbName} FROM PUBLIC`);
    await db.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
    for (const s of SERVICES) {
      const role = ident(s.schema);
      await db.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${dbName} TO ${role}`);
      await db.query(`CREATE SCHEMA IF NOT EXISTS ${role} AUTHORIZATION ${role}`);
      await db.query(`REVOKE ALL ON SCHEMA ${role} FROM PUBLIC`);
      for (const statement of auditTrailStatements(role)) await db.query(statement);
    }
  } finally {
    await db.end();
  }
}

async function dropDatabase(name) {
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** The connection string of a service role on a database. */
function serviceDatabaseUrl(schema, dbName) {
  const u = new URL(withDatabase(adminUrl(), dbName));
  u.username = schema;
  u.password = process.env.DB_PASSWORD ?? '';
  return u.toString();
}

module.exports = { ensureDatabase, dropDatabase, serviceDatabaseUrl, adminUrl, auditTrailStatements, AUDIT_OWNER };

if (require.main === module) {
  const name = process.argv[2] ?? process.env.DB_NAME ?? 'eisss';
  ensureDatabase(name)
    .then(() => console.log(`[postgres] database ${name}: roles and schemas ready (${SERVICES.map((s) => s.schema).join(', ')})`))
    .catch((err) => {
      console.error(`[postgres] setup failed: ${err.message}`);
      process.exit(1);
    });
}
