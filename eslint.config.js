import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import importX from 'eslint-plugin-import-x'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'

// The layers (docs/design.md). Each entry: the files of a layer and what they must not import. The
// composition root (src/app.ts, src/skills.ts, src/adapters.ts, src/cli.ts, src/commands/) sees everything;
// only src/adapters.ts imports adapters/.
const SDKS = { group: ['telegraf', 'telegraf/*', 'wechaty', 'wechaty/*', 'wechaty-puppet*'], message: 'Platform SDKs are imported only inside their adapter folder.' }
const ADAPTERS = { group: ['**/adapters/**', '!**/src/adapters.js'], message: 'Only the composition root (src/adapters.ts) imports adapters/.' }
const ROOT = { group: ['**/app.js', '**/skills.js', '**/adapters.js', '**/commands/**', '**/cli.js'], message: 'The composition root is imported by no layer below it.' }
const layer = (files, groups, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [SDKS, ADAPTERS, ROOT, ...groups.map((g) => ({ group: g, message }))] }] },
})
const SKILL_IMPLS = ['answer', 'calendar', 'fraud', 'announce', 'skills', 'kepu', 'venues', 'guard', 'http', 'requests', 'alerts', 'console', 'feedback']

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', Buffer: 'readonly', AbortController: 'readonly', structuredClone: 'readonly', performance: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', setImmediate: 'readonly', fetch: 'readonly' } },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'no-restricted-imports': ['error', { patterns: [SDKS] }],
    },
  },
  // core imports nothing of ours outside core.
  layer(['src/core/**'], [['../*', '../**']], 'core imports nothing of ours outside src/core.'),
  // knowledge (plan parsing, content loading) sits on core only.
  layer(['src/knowledge/**'], [['../search/**', '../store/**', ...SKILL_IMPLS.map((d) => `../${d}/**`)]], 'knowledge imports only core.'),
  // search (tokenizer, index, ranking) sits on core and knowledge.
  layer(['src/search/**'], [['../store/**', ...SKILL_IMPLS.map((d) => `../${d}/**`)]], 'search imports only core and knowledge.'),
  // the store sits on core.
  layer(['src/store/**'], [['../knowledge/**', '../search/**', ...SKILL_IMPLS.map((d) => `../${d}/**`)]], 'the store imports only core.'),
  // skills and their implementations sit on core, knowledge, search and store.
  layer(SKILL_IMPLS.map((d) => `src/${d}/**`), [], 'skills do not import the composition root.'),
  // adapters see only the core's types and helpers; each adapter folder may import its own platform SDK.
  { files: ['adapters/**'], rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/src/*/**', '!**/src/core/**', '**/src/*.js'], message: 'adapters import only src/core.' }] }] } },
  { files: ['adapters/console/**', 'adapters/shared/**'], rules: { 'no-restricted-imports': ['error', { patterns: [SDKS, { group: ['**/src/*/**', '!**/src/core/**', '**/src/*.js'], message: 'adapters import only src/core.' }] }] } },
  { files: ['test/**'], rules: { 'no-restricted-imports': ['error', { patterns: [SDKS] }] } },
  { files: ['test/adapters/**', 'test/fakes/**', 'test/announce/**', 'bench/**'], rules: { 'no-restricted-imports': 'off' } },
)
