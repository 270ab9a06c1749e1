// Lint: typescript-eslint's recommended rules, and a wall that keeps core/ free of editor and protocol packages.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', 'test/fixtures/**', 'test/e2e/.work/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly', process: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly',
        setImmediate: 'readonly', clearImmediate: 'readonly', setInterval: 'readonly', clearInterval: 'readonly',
        TextEncoder: 'readonly', TextDecoder: 'readonly', URL: 'readonly', performance: 'readonly', WebAssembly: 'readonly',
        queueMicrotask: 'readonly', structuredClone: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable',
        globalThis: 'readonly', AbortController: 'readonly', fetch: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      'no-fallthrough': 'error',
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['vscode', 'vscode-*', '@vscode/*'], message: 'core/ is the pure engine: no editor or protocol packages.' },
          { group: ['../client/*', '../server/*', '../debugger/*', '../../client/*', '../../server/*', '../../debugger/*', '../../../*/'], message: 'core/ must not depend on the adapters.' },
        ],
      }],
    },
  },
);
