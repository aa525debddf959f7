import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { KepuError } from '../core/errors.js'

/** The lock file inside the data directory. */
export const LOCK_FILE = 'kepu.lock'

/** Another process already serves from this data directory. */
export class DataDirLockedError extends KepuError {
  constructor(message: string) {
    super('E_LOCKED', message)
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes the data directory for this process: one `serve` per SQLite data directory, because two would
 * poll the same bot (Telegram answers 409), fire every announcement twice and fight over the outbox.
 * A lock left by a process that died is taken over. Returns the release.
 */
export function lockDataDir(dataDir: string, pid = process.pid): () => void {
  const dir = resolve(dataDir)
  mkdirSync(dir, { recursive: true })
  const file = join(dir, LOCK_FILE)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx')
      writeSync(fd, `${pid}\n`)
      closeSync(fd)
      return () => {
        try {
          if (readFileSync(file, 'utf8').trim() === String(pid)) rmSync(file)
        } catch {
          // Already gone.
        }
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new KepuError('E_STORE', `store: ${file}: cannot create the lock file (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
      const holder = Number.parseInt(readFileSync(file, 'utf8').trim(), 10)
      if (Number.isInteger(holder) && holder > 0 && holder !== pid && alive(holder)) {
        throw new DataDirLockedError(`store: ${dir}: another kepu serve (pid ${holder}) is running on this data directory; stop it first, or give this one its own KEPU_DATA_DIR`)
      }
      // Stale: its process is gone.
      rmSync(file, { force: true })
    }
  }
  throw new DataDirLockedError(`store: ${file}: could not take the lock`)
}
