import { defineConfig } from 'vitest/config';

// Coverage of model/ and properties/ is V8 coverage collected by vitest itself
// (@vitest/coverage-v8): c8 cannot see into vitest's workers. c8 measures what `mntns check`
// reaches of the model, on the built JavaScript.
export default defineConfig({
  test: {
    include: ['{model,properties,traces,reports,cli,bench,oracle,protocols,test}/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    coverage: {
      provider: 'v8',
      include: ['model/**/*.ts', 'properties/**/*.ts'],
      exclude: ['**/*.test.ts', '**/test-helpers.ts'],
      reporter: ['text-summary', 'text'],
      thresholds: {
        'model/**/*.ts': { lines: 90 },
      },
    },
  },
});
