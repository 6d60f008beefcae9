/** Unit specs live beside the code (`*.spec.ts`); e2e specs in test/ (`*.e2e-spec.ts`). */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
    },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/test/**/*.spec.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@payhub/backoffice-operations$': '<rootDir>/libs/backoffice/src/operations',
    '^@payhub/providers-(.*)$': '<rootDir>/libs/providers/$1/src',
    '^@payhub/(.*)$': '<rootDir>/libs/$1/src',
  },
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  // Teardown of an app, a worker and a sandbox can be slow on a loaded 2-core machine.
  testTimeout: 60000,
};
