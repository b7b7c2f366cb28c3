/**
 * The production database creates the same append-only audit trails as scripts/infra/postgres.js
 * does in development and tests (issue 10, item 5): a stale copy would leave a service without its
 * trail (its migration then stops) or with one it could edit.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { infraServices, parseYamlDocuments, repoRoot } from './k8s-manifests.helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const postgres = require(path.join(repoRoot, 'scripts/infra/postgres.js')) as {
  auditTrailStatements(role: string): string[];
  AUDIT_OWNER: string;
};

describe('audit trail in the production database', () => {
  const file = path.join(repoRoot, 'k8s/overlays/prod/postgres-cluster.yaml');
  const [cluster] = parseYamlDocuments(readFileSync(file, 'utf8'), file) as {
    spec: { bootstrap: { initdb: { postInitApplicationSQL: string[] } } };
  }[];
  const sql = cluster!.spec.bootstrap.initdb.postInitApplicationSQL.map((s) => s.replace(/\s+/g, ' ').trim());

  it('creates the owner of the trails without login', () => {
    expect(sql).toContain(`CREATE ROLE ${postgres.AUDIT_OWNER} NOLOGIN`);
  });

  it.each(infraServices().map((s) => [s.name, s.schema]))(
    'creates the trail of %s as the development set-up does, after its schema',
    (_name, schema) => {
      const expected = postgres.auditTrailStatements(schema).map((s) => s.replace(/\s+/g, ' ').trim());
      const at = sql.indexOf(expected[0]!);
      expect(at).toBeGreaterThan(sql.indexOf(`CREATE SCHEMA ${schema} AUTHORIZATION ${schema}`));
      expect(sql.slice(at, at + expected.length)).toEqual(expected);
    },
  );
});
