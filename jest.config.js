/** Jest: `unit` (beside the code, no infrastructure) and `integration` (real Postgres + Kafka). */
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ],
};
const common = {
  rootDir: __dirname,
  transform,
  testEnvironment: 'node',
  moduleNameMapper: { '^@eisss/(.*)$': '<rootDir>/libs/$1/src' },
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/', '<rootDir>/.infra/'],
};

module.exports = {
  reporters: ['default'],
  projects: [
    {
      ...common,
      displayName: 'unit',
      setupFiles: ['<rootDir>/libs/testing/src/unit-setup.ts'],
      testMatch: ['<rootDir>/{libs,services,tests,bench,scripts}/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/{libs,services}/*/test/**/*.int-spec.ts',
        '<rootDir>/bench/**/*.int-spec.ts',
        '<rootDir>/tests/**/*.flow-spec.ts',
      ],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/jest-integration-setup.ts'],
      slowTestThreshold: 30,
    },
  ],
};
