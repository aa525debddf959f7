import type { Command } from 'commander'
import { loadConfig } from '../config.js'
import { InputError } from '../core/errors.js'
import { copyStore } from '../store/copy-store.js'
import { openStore } from '../store/sql/open-store.js'

/** `kepu store migrate --to postgres://…`: moves the SQLite store of KEPU_DATA_DIR into PostgreSQL. */
export function register(program: Command): void {
  const store = program.command('store').description('the store: SQLite in KEPU_DATA_DIR, or PostgreSQL with KEPU_DATABASE_URL (docs/operations.md)')
  store
    .command('migrate')
    .description('copy the SQLite store of KEPU_DATA_DIR into an empty PostgreSQL database (stop serve first)')
    .requiredOption('--to <url>', 'the PostgreSQL database, postgres://user:pass@host:5432/db (it must be empty)')
    .option('--data-dir <dir>', 'the SQLite data directory (default KEPU_DATA_DIR)')
    .action(async (opts: { to: string; dataDir?: string }) => {
      if (!/^postgres(ql)?:\/\//.test(opts.to)) throw new InputError(`store: --to: expected a postgres:// URL`)
      const config = loadConfig()
      const from = await openStore({ dataDir: opts.dataDir ?? config.KEPU_DATA_DIR })
      try {
        const to = await openStore({ url: opts.to })
        try {
          const counts = await copyStore(from, to, (table, rows) => process.stdout.write(`  ${table}: ${rows}\n`))
          const total = Object.values(counts).reduce((a, b) => a + b, 0)
          process.stdout.write(`copied ${total} rows; now set KEPU_DATABASE_URL and start serve\n`)
        } finally {
          await to.close()
        }
      } finally {
        await from.close()
      }
    })
}
