import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** A bounded service never imports another service's stack (or anything of it). */
const noOtherService = {
  group: ['@order-platform/*-stack'],
  message: 'A service never imports another service.',
};

/**
 * zod comes through the contracts' `z` (`zod/mini` with zod's English messages, ADR 0012): the classic API
 * would bring all of zod (~45 KiB more) into every bundle, and `zod/mini` alone would answer "Invalid input".
 */
const noZodButContracts = {
  regex: '^zod(/.*)?$',
  message: "Use import * as z from '@order-platform/contracts/zod' (zod/mini with its messages).",
};

export default tseslint.config(
  {
    ignores: [
      '**/dist',
      '**/cdk.out',
      '**/node_modules',
      '**/.local-cloud',
      // Files that break the import rules on purpose, linted by lint-rules.test.ts where they pretend to sit.
      '**/lint-fixtures',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // Contracts are the shared language: zod only, nothing else.
            {
              sourceTag: 'type:contracts',
              onlyDependOnLibsWithTags: [],
              allowedExternalImports: ['zod', 'zod/*'],
            },
            // A bounded service sees shared libraries only, never another service.
            { sourceTag: 'scope:produtos', onlyDependOnLibsWithTags: ['scope:shared', 'scope:produtos'] },
            { sourceTag: 'scope:pedidos', onlyDependOnLibsWithTags: ['scope:shared', 'scope:pedidos'] },
            { sourceTag: 'scope:faturas', onlyDependOnLibsWithTags: ['scope:shared', 'scope:faturas'] },
            { sourceTag: 'scope:painel', onlyDependOnLibsWithTags: ['scope:shared', 'scope:painel'] },
            // generated services: the generator adds a line above this one
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            // The CDK app composes every service's stack.
            { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: ['*'] },
            // End-to-end tests speak to the platform through its public API only (and start it with the local cloud).
            { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:shared'] },
          ],
        },
      ],
    },
  },
  {
    // The CDK app is the composition root of the stacks: it alone imports the services' stack modules.
    files: ['infra/src/app.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['libs/**/*.ts', 'infra/**/*.ts', 'tools/**/*.ts'],
    ignores: ['libs/contracts/src/zod.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noZodButContracts] }] },
  },
  {
    files: ['apps/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noOtherService, noZodButContracts] }] },
  },
  {
    // Domain, application and handlers stay free of AWS: the SDK and the adapters are wired by the
    // composition roots (src/*composition.ts) only. In flat config a later block's options replace an
    // earlier one's, so this block repeats the service ban; lint-rules.test.ts proves both still fire.
    files: ['apps/*/src/domain/**/*.ts', 'apps/*/src/application/**/*.ts', 'apps/*/src/handlers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noOtherService,
            noZodButContracts,
            {
              group: ['@aws-sdk/*', 'aws-sdk', 'aws-cdk-lib', 'aws-cdk-lib/*', 'aws-xray-sdk*'],
              message: 'AWS belongs in src/adapters, wired by the composition root.',
            },
            {
              group: ['@order-platform/aws-adapters', '**/adapters/*', '!**/adapters/testing/*'],
              message: 'Use cases and handlers depend on ports; only the composition root wires adapters.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'libs/testing/**/*.ts', 'apps/e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
