import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * Writes a cache file whole or not at all (a temporary file renamed over it), so a reader in another
 * process never sees half a file. A cache that cannot be written costs speed only: `onError` is told the
 * error's name and nothing is thrown.
 */
export function writeCacheFile(folder: string, file: string, data: string | Uint8Array, onError?: (errName: string) => void): void {
  try {
    mkdirSync(folder, { recursive: true })
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, data)
    renameSync(tmp, file)
  } catch (err) {
    onError?.(err instanceof Error ? err.name : 'unknown')
  }
}

/** Removes the caches of other fingerprints beside `folder` (16 hex digits): they can never be used again. */
export function pruneCacheSiblings(folder: string): void {
  const parent = dirname(folder)
  try {
    for (const name of readdirSync(parent)) if (/^[0-9a-f]{16}$/u.test(name) && join(parent, name) !== folder) rmSync(join(parent, name), { recursive: true, force: true })
  } catch {
    // A cache we cannot tidy costs disk space only.
  }
}
