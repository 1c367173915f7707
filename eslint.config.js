// @ts-check
// ESLint for the server code and the admin UI (npm run lint). Type-aware: typescript-eslint's project
// service reads tsconfig.json for the server folders and admin-ui/tsconfig.json for admin-ui/src, the
// same programs that npm run typecheck compiles. Formatting is Prettier's job (prettier --check runs
// after this in npm run lint). Neither @eslint/js's nor typescript-eslint's recommended set turns on a
// formatting rule any more, so eslint-config-prettier is not used: of these rules it would switch off only
// no-unexpected-multiline, which Prettier's output does not trip.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Said wherever a workflow-sandbox file imports a Node built-in (as temporalio/samples-typescript's lint says it); test/lint.test.ts checks it. */
const WORKFLOW_SANDBOX_MESSAGE =
  'Workflow code (workflows/ and the domain/ rules it imports) runs in the deterministic Temporal workflow sandbox, which has no Node built-ins: ' +
  'do this in an activity, or use @temporalio/workflow.';

/** Said when a workflow imports an activity's value instead of its type. */
const ACTIVITY_VALUE_MESSAGE =
  'Workflows call activities through proxyActivities(); import only their types (import type …), so that activity code (database, mail, signing) stays out of the workflow bundle.';

/** The folders of the root tsconfig.json (services/ is new; a folder that does not exist yet matches nothing). */
const SERVER_FOLDERS = ['config', 'domain', 'embedded', 'prisma', 'api', 'activities', 'services', 'workflows', 'worker', 'scripts', 'test', 'bench'];

export default defineConfig([
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    'prisma/generated/',
    'data/',
    'backups/',
    'coverage/',
    'test-artifacts/',
    'test-results/',
    '.tools/',
    '.schemathesis/',
    'scratch/',
  ]),

  {
    name: 'license-desk/typescript',
    files: [...SERVER_FOLDERS.map((folder) => `${folder}/**/*.ts`), '*.ts', 'admin-ui/src/**/*.{ts,tsx}', 'admin-ui/vite.config.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        // Each file is checked in the program of its nearest tsconfig.json: the root one for the server, admin-ui's own for the UI.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Forgetting to await a Temporal call, a Prisma query or a test's expectation loses its error and its ordering.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',

      // Off: an async function without await is how a callback meets a Promise-returning signature (waitFor predicates,
      // Prisma's adapter(), a store's activeSigner); rewriting each as Promise.resolve(…) is churn that catches no bug.
      '@typescript-eslint/require-await': 'off',

      // Off: every finding was String(value) of a value narrowed from unknown (a caught error, a JSON cell), whose type then
      // reads as {} and so as a plain object; String() is how such a value is printed. restrict-template-expressions
      // still refuses an object in a template literal.
      '@typescript-eslint/no-base-to-string': 'off',

      // Off: it called needed assertions on openapi-types' unions unnecessary (removing one broke the typecheck), and an
      // assertion that is not needed is harmless.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',

      // Unused code: an underscore marks a parameter kept for a signature, a rest sibling drops a key on purpose, and a
      // caught error may go unread (catch (error) that only cleans up).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },

  {
    // Off in tests and the UI: there the anys are response.json() and react-admin's records (RaRecord, useRecordContext),
    // whose shape the assertions and the API's own validation check at run time; typing each one is churn that catches no
    // bug. The server code keeps them: an any there is a hole in the types between the database and the workflow.
    name: 'license-desk/json-and-records',
    files: ['test/**/*.ts', 'admin-ui/src/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },

  {
    name: 'license-desk/admin-ui',
    files: ['admin-ui/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
  },

  {
    name: 'license-desk/node',
    files: [...SERVER_FOLDERS.map((folder) => `${folder}/**/*.{ts,js,mjs}`), '*.{ts,js,mjs}', 'admin-ui/vite.config.ts'],
    languageOptions: { globals: globals.node },
  },

  {
    // Plain JavaScript (this file, scripts/*.mjs) is in no tsconfig: lint it without type information.
    name: 'license-desk/javascript',
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },

  {
    // Both folders end up in the workflow bundle (bundleWorkflowCode), where a Node built-in fails the worker at start.
    name: 'license-desk/workflow-sandbox',
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: builtinModules.map((name) => ({ name, message: WORKFLOW_SANDBOX_MESSAGE })),
          patterns: [{ group: ['node:*'], message: WORKFLOW_SANDBOX_MESSAGE }],
        },
      ],
    },
  },

  {
    name: 'license-desk/workflows',
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/activities', '**/activities/**'], allowTypeImports: true, message: ACTIVITY_VALUE_MESSAGE }] },
      ],
    },
  },
]);
