// @ts-check
/**
 * ESLint flat config: eslint + typescript-eslint recommended (syntax-only, not type-checked, to
 * stay fast; `tsc --noEmit` does the type checking), the house rules of DESIGN.md §9 and the
 * layering rule of §2 (`vigil/layers`, eslint-rules/layers.js). No formatting rules: Prettier
 * formats (`prettier --check .`).
 */
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import vigil from './eslint-rules/index.js';

/** Folders of the product itself (not tests, benchmarks or tooling). */
const SOURCE = ['core', 'probes', 'sla', 'analyzers', 'alerting', 'evidence', 'server', 'dashboards', 'app'];

export default defineConfig(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'bench/.work/',
      'tests/fixtures/lint/',
      'tests/fixtures/k6/',
      'configs/scripts/',
      'coverage/',
      'data/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { vigil },
    rules: {
      'vigil/layers': 'error',
      'vigil/node-protocol': 'error',
      // No empty catch (§9): a swallowed error must at least say why in a comment.
      'no-empty': ['error', { allowEmptyCatch: false }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'use a string-literal union, not enum (DESIGN.md §9)' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Logs go through pino; only the composition root (the CLI) writes to the console (§9).
    files: SOURCE.filter((f) => f !== 'app').map((f) => `${f}/**/*.{ts,js}`),
    rules: { 'no-console': 'error' },
  },
);
