// ESLint (flat config). `npm run lint` runs it with --max-warnings 0 together with `prettier --check .`;
// tests/architecture/lint-rules.spec.ts proves the forbidden-pattern rules below fire.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const ROOT = dirname(fileURLToPath(import.meta.url));
const SERVICES = readdirSync(join(ROOT, 'services'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

/** Only these files of a service may talk SQL or hold a TypeORM DataSource/EntityManager. */
const SQL_ALLOWED = [
  'services/*/src/**/*.repository.ts',
  'services/*/src/**/migrations/**',
  'services/*/src/**/migrate.ts',
  'services/*/src/**/rotate-keys.ts',
  'services/*/src/**/standalone.ts',
  'services/*/src/**/cli.ts',
];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Import patterns that reach into another service: `../../<other>/…`, `services/<other>/…`, `@eisss/<other>`. */
function otherServicePatterns(own) {
  const others = SERVICES.filter((s) => s !== own).map(escape);
  return [
    {
      regex: `(^|/)(services/)?(${others.join('|')})(/|$)|^@eisss/(${others.join('|')})(/|$)`,
      message: 'A service imports only libs (@eisss/platform, @eisss/contracts), never another service: talk through a contract/event.',
    },
  ];
}

const typeormInServices = {
  name: 'typeorm',
  importNames: ['DataSource', 'EntityManager'],
  message: 'Only repositories (and migrations/CLI wiring) hold the database: inject TransactionHost in a *.repository.ts.',
};

const noQueryOutsideRepositories = {
  selector: "CallExpression[callee.property.name='query']",
  message: 'SQL belongs in a *.repository.ts (TransactionHost.query); call a repository method instead.',
};

const noNewDate = {
  selector: "NewExpression[callee.name='Date'][arguments.length=0]",
  message: 'Inject the platform Clock (clock.now(), clock.today()) instead of new Date().',
};

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '.infra/**', 'reports/**', 'coverage/**', '.nx/**'],
  },

  // The code keeps a few `eslint-disable` comments for the two rules switched off below; not a finding.
  { linterOptions: { reportUnusedDisableDirectives: 'off' } },

  // --- TypeScript, with type information ------------------------------------------------------------
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        // tsconfig.spec.json includes every .ts of libs, services, tests and bench.
        project: './tsconfig.spec.json',
        tsconfigRootDir: ROOT,
      },
    },
    rules: {
      // The rules this issue asks for.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],

      // Turned off, and why:
      // - no-unsafe-*: raw SQL rows, JSON bodies, Kafka payloads and test fakes are `any`/`unknown` by
      //   nature; rows are typed at the repository boundary (XRow interfaces) instead.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      // - restrict-template-expressions: log and error messages interpolate numbers, bigints (kopiyky) and ids.
      '@typescript-eslint/restrict-template-expressions': 'off',
      // - require-await: NestJS lifecycle hooks and interface implementations are async without awaiting.
      '@typescript-eslint/require-await': 'off',
      // - unbound-method: `expect(fake.method).toHaveBeenCalled()` in specs and Nest method references.
      '@typescript-eslint/unbound-method': 'off',
      // - no-unnecessary-type-assertion: flags the `!` on indexed access (`rows[0]!`, `m[1]!`), which
      //   stays deliberate in case noUncheckedIndexedAccess is switched on; hundreds of findings, no bugs.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // - no-redundant-type-constituents / base-to-string: stylistic noise on branded ids and error messages.
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      // - only-throw-error / prefer-promise-reject-errors: tests throw and reject with plain values on purpose.
      '@typescript-eslint/only-throw-error': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      // - no-namespace: `declare global` augmentations.
      '@typescript-eslint/no-namespace': 'off',
      // - no-explicit-any / no-require-imports: test doubles, YAML/JSON fixtures and lazy require of
      //   optional modules (testcontainers, dist builds) in test support; the few places carry a comment.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      // - no-empty-function: no-op callbacks (`.catch(() => undefined)`) and Nest module classes.
      '@typescript-eslint/no-empty-function': 'off',
      // - no-extraneous-class: Nest modules are empty decorated classes.
      '@typescript-eslint/no-extraneous-class': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },

  // --- JavaScript (scripts, bench, config files): no type information ----------------------------------
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        exports: 'writable',
        __dirname: 'readonly',
        __filename: 'readonly',
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        URLSearchParams: 'readonly',
        performance: 'readonly',
        structuredClone: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
      },
    },
    rules: {
      'no-unused-vars': ['error', { args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },

  // --- Forbidden patterns (architecture) ---------------------------------------------------------------
  // (b) a service never imports another service; (a) outside repositories/migrations/CLI wiring no
  // DataSource/EntityManager import. `no-restricted-imports` options do not merge across blocks, so the
  // second block repeats the service patterns.
  ...SERVICES.flatMap((svc) => [
    {
      files: [`services/${svc}/**/*.ts`],
      rules: { 'no-restricted-imports': ['error', { patterns: otherServicePatterns(svc) }] },
    },
    {
      files: [`services/${svc}/src/**/*.ts`],
      ignores: SQL_ALLOWED,
      rules: { 'no-restricted-imports': ['error', { paths: [typeormInServices], patterns: otherServicePatterns(svc) }] },
    },
  ]),
  // (a) no `.query(` call outside repositories/migrations/CLI wiring; (c) no `new Date()` in services' code
  // (the platform Clock is the one "now"; specs may build dates as they like).
  {
    files: ['services/*/src/**/*.ts'],
    ignores: [...SQL_ALLOWED, '**/*.spec.ts'],
    rules: { 'no-restricted-syntax': ['error', noQueryOutsideRepositories, noNewDate] },
  },
  {
    files: ['services/*/src/**/*.spec.ts'],
    rules: { 'no-restricted-syntax': ['error', noQueryOutsideRepositories] },
  },
  {
    files: SQL_ALLOWED,
    rules: { 'no-restricted-syntax': ['error', noNewDate] },
  },
  // (b) libs never import a service.
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `(^|/)services/|^@eisss/(${SERVICES.map(escape).join('|')})(/|$)`,
              message: 'Libraries never import a service.',
            },
          ],
        },
      ],
    },
  },

  // Prettier owns formatting: last, so it switches off every stylistic rule above.
  prettier,
);
