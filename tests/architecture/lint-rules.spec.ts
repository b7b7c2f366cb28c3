import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The forbidden-pattern rules of eslint.config.mjs fail the build when broken: SQL (`.query(`) and a
 * TypeORM DataSource/EntityManager outside repositories, a service importing another service, a lib
 * importing a service. Snippets are linted with the real config at paths of real files (type-checked
 * linting needs the file in tsconfig.spec.json). ESLint's Node API (`new ESLint().lintText`) runs in a
 * child Node process: it loads eslint.config.mjs by dynamic import, which Jest's VM does not allow.
 */
const ROOT = join(__dirname, '..', '..');
const SERVICE = 'services/social-register/src/person/person.service.ts';
const REPOSITORY = 'services/social-register/src/person/person.repository.ts';
const LIB = 'libs/platform/src/time/clock.ts';
const SPEC = 'services/social-register/src/person/pii.service.spec.ts';

jest.setTimeout(180_000);

const LINT_SNIPPETS = `
const { ESLint } = require('eslint');
const { join } = require('node:path');
(async () => {
  const snippets = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
  const eslint = new ESLint({ cwd: process.cwd() });
  const out = [];
  for (const { code, file } of snippets) {
    const [result] = await eslint.lintText(code, { filePath: join(process.cwd(), file) });
    out.push(result.messages.map((m) => (m.fatal ? 'fatal: ' + m.message : m.ruleId)));
  }
  process.stdout.write(JSON.stringify(out));
})().catch((err) => { process.stderr.write(String(err && err.stack)); process.exit(1); });
`;

/** Lints every snippet with the repository's eslint.config.mjs; the rule ids that fired, per snippet. */
function lintAll(snippets: { code: string; file: string }[]): string[][] {
  // TSESTREE_SINGLE_RUN=false: under CI=true typescript-eslint assumes a single run over files on disk and
  // type-checks the file's disk content instead of the snippet.
  const r = spawnSync(process.execPath, ['-e', LINT_SNIPPETS], {
    cwd: ROOT,
    input: JSON.stringify(snippets),
    encoding: 'utf8',
    env: { ...process.env, TSESTREE_SINGLE_RUN: 'false' },
  });
  if (r.status !== 0) throw new Error(`eslint failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as string[][];
}

const sql = [
  "import { DataSource, EntityManager } from 'typeorm';",
  'export async function count(ds: DataSource, tx: EntityManager): Promise<unknown> {',
  "  await tx.query('SELECT 1');",
  "  return ds.query('SELECT count(*) FROM person');",
  '}',
  '',
].join('\n');
const relativeOther = "import { X } from '../../../../verification/src/checks/checks.service';\nexport const y = X;\n";
const namedOther = "import { X } from 'services/e-budget/src/funds/funds.service';\nexport const y = X;\n";
const own = "import { X } from '../status/status.service';\nexport const y = X;\n";
const libToService = "import { X } from '../../../../services/social-register/src/person/person.service';\nexport const y = X;\n";
const now = 'export const at = (): string => new Date().toISOString();\n';
const sloppy = 'export function f(p: Promise<void>): void {\n  const unused = 1;\n  p.then(() => undefined);\n}\n';

const snippets = {
  sqlInService: { code: sql, file: SERVICE },
  sqlInRepository: { code: sql, file: REPOSITORY },
  relativeOther: { code: relativeOther, file: SERVICE },
  namedOther: { code: namedOther, file: REPOSITORY },
  own: { code: own, file: SERVICE },
  libToService: { code: libToService, file: LIB },
  sloppy: { code: sloppy, file: LIB },
  nowInService: { code: now, file: SERVICE },
  nowInRepository: { code: now, file: REPOSITORY },
  nowInSpec: { code: now, file: SPEC },
};
type Name = keyof typeof snippets;
let fired: Record<Name, string[]>;

beforeAll(() => {
  const names = Object.keys(snippets) as Name[];
  const results = lintAll(names.map((n) => snippets[n]));
  fired = Object.fromEntries(names.map((n, i) => [n, results[i]!])) as Record<Name, string[]>;
  for (const n of names) expect(fired[n].filter((r) => r.startsWith('fatal'))).toEqual([]);
});

describe('forbidden patterns', () => {
  it('rejects SQL and a DataSource/EntityManager in a service, and accepts them in a repository', () => {
    expect(fired.sqlInService.filter((r) => r === 'no-restricted-syntax')).toHaveLength(2);
    expect(fired.sqlInService.filter((r) => r === 'no-restricted-imports')).toHaveLength(2);
    expect(fired.sqlInRepository).not.toContain('no-restricted-syntax');
    expect(fired.sqlInRepository).not.toContain('no-restricted-imports');
  });

  it('rejects a service importing another service, by relative path or by name', () => {
    expect(fired.relativeOther).toContain('no-restricted-imports');
    expect(fired.namedOther).toContain('no-restricted-imports');
    expect(fired.own).not.toContain('no-restricted-imports');
  });

  it('rejects a lib importing a service', () => {
    expect(fired.libToService).toContain('no-restricted-imports');
  });

  it('rejects new Date() in a service or a repository (the platform Clock is the one now), and lets a spec build dates', () => {
    expect(fired.nowInService).toContain('no-restricted-syntax');
    expect(fired.nowInRepository).toContain('no-restricted-syntax');
    expect(fired.nowInSpec).not.toContain('no-restricted-syntax');
  });

  it('reports a floating promise and an unused variable', () => {
    expect(fired.sloppy).toContain('@typescript-eslint/no-floating-promises');
    expect(fired.sloppy).toContain('@typescript-eslint/no-unused-vars');
  });
});
