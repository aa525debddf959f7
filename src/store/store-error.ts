import { KepuError } from '../core/errors.js'

/**
 * Why the store could not be opened or used, as a stable code:
 * - `E_STORE_URL`: `KEPU_DATABASE_URL` is not a usable PostgreSQL URL;
 * - `E_STORE_CONNECT`: the server cannot be reached or refused the login;
 * - `E_STORE_OPEN`: the SQLite file cannot be opened (permissions, a directory in the way);
 * - `E_STORE_CORRUPT`: the SQLite file is not a database or is damaged;
 * - `E_STORE_VERSION`: the database was written by a newer kepu;
 * - `E_STORE_MIGRATE`: a schema step failed.
 */
export type StoreErrorCode = 'E_STORE_URL' | 'E_STORE_CONNECT' | 'E_STORE_OPEN' | 'E_STORE_CORRUPT' | 'E_STORE_VERSION' | 'E_STORE_MIGRATE'

/**
 * The store failed in a way an operator must fix. The message is one line that names the host or the
 * file — never the password or the full URL — so that `serve` can print it and exit 2.
 */
export class StoreError extends KepuError {
  declare readonly code: StoreErrorCode
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options)
  }
}
