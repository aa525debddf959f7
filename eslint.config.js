import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', Buffer: 'readonly', AbortController: 'readonly', structuredClone: 'readonly', performance: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', setImmediate: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['telegraf', 'telegraf/*', 'wechaty', 'wechaty/*', 'wechaty-puppet*'], message: 'Platform SDKs are imported only inside their adapter folder.' },
        ],
      }],
    },
  },
  {
    files: ['adapters/telegram/**', 'test/adapters/telegram/**', 'test/fakes/**', 'test/announce/**', 'bench/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['adapters/wechat/**', 'test/adapters/wechat/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
)
