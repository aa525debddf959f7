import type { ConnectionOptions } from 'node:tls'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { StoreError } from '../store-error.js'
import type { KepuDatabase } from './database.js'
import { migratePostgres, type MigrationResult } from './migrate.js'

/** How to reach PostgreSQL. */
export interface PostgresOptions {
  /** `postgres://user:password@host:5432/database` (libpq parameters such as `sslmode` allowed). */
  url: string
  /** The most connections this process opens (default 10). */
  pool?: number
  /** TLS: true, or Node's TLS options (a CA certificate, `rejectUnauthorized`). `sslmode` in the URL wins. */
  ssl?: boolean | ConnectionOptions
  /** Cancel any statement running longer than this (ms); none by default. */
  statementTimeoutMs?: number
  /** Give up connecting after this long (ms); default 10 s, so a wrong host fails at start, not never. */
  connectTimeoutMs?: number
  /** A schema to use instead of the user's default (`search_path`): letters, digits and underscores. */
  schema?: string
  /** An idle connection failed (server restart); the pool replaces it. Without this the error is dropped. */
  onPoolError?: (err: Error) => void
}

/** One open PostgreSQL pool. */
export interface PostgresHandle {
  readonly db: Kysely<KepuDatabase>
  readonly pool: pg.Pool
  /** `host:port/database`, for messages. */
  readonly target: string
  readonly migration: MigrationResult
  release(): Promise<void>
}

const INT8_OID = 20
const NUMERIC_OID = 1700

/**
 * Reads BIGINT (times, ids, counts) and NUMERIC (sums) as numbers rather than strings: times are
 * milliseconds and ids count rows, both far below 2^53. Set per pool, not on pg's global registry, so other
 * code in the process keeps pg's defaults.
 */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID || oid === NUMERIC_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/

/** The parts of a database URL that may be shown: host, port and database — never the user's password. */
export interface DatabaseTarget {
  host: string
  port: string
  database: string
  /** The password, only to scrub it from messages that might echo it. */
  password: string
}

/** True when `url` selects PostgreSQL (`postgres://` or `postgresql://`). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url.trim())
}

/** Reads the shown parts of a PostgreSQL URL, or throws `E_STORE_URL` naming what is wrong (not the URL). */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  let u: URL
  try {
    u = new URL(url.trim())
  } catch {
    throw new StoreError('E_STORE_URL', 'store: the database URL is not a valid URL (expected postgres://user:password@host:5432/database)')
  }
  if (!/^postgres(ql)?:$/i.test(u.protocol)) {
    throw new StoreError('E_STORE_URL', `store: the database URL must start with postgres:// (it starts with ${u.protocol}//)`)
  }
  let password: string
  try {
    password = decodeURIComponent(u.password)
  } catch {
    password = u.password
  }
  const host = u.hostname.replace(/^\[|\]$/g, '') || u.searchParams.get('host') || 'localhost'
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default database)'
  return { host, port: u.port || '5432', database, password }
}

/**
 * Connects a pool to PostgreSQL, migrates the schema (under an advisory lock) and wraps the pool in Kysely.
 * Connecting at open is deliberate: a wrong URL, a wrong password or an unreachable server is reported at
 * start in one line naming the host, instead of at the first message.
 */
export async function openPostgres(options: PostgresOptions, at: Date): Promise<PostgresHandle> {
  const t = parseDatabaseUrl(options.url)
  const target = `${t.host}:${t.port}/${t.database}`
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new StoreError('E_STORE_URL', `store: schema ${JSON.stringify(options.schema)} is not a plain name (letters, digits, underscores)`)
  }
  if (options.pool !== undefined && !(Number.isInteger(options.pool) && options.pool >= 1)) {
    throw new StoreError('E_STORE_URL', `store: pool size must be a whole number ≥ 1 (got ${options.pool})`)
  }
  const config: pg.PoolConfig = {
    connectionString: options.url.trim(),
    max: options.pool ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    application_name: 'kepu',
    types: TYPES,
  }
  if (options.ssl !== undefined) config.ssl = options.ssl
  if (options.statementTimeoutMs !== undefined) config.statement_timeout = options.statementTimeoutMs
  if (options.schema !== undefined) config.options = `-c search_path=${options.schema}`
  const pool = new pg.Pool(config)
  // An idle client's error is emitted on the pool; unheard, it would crash the process.
  pool.on('error', (err) => options.onPoolError?.(err))
  let migration: MigrationResult
  try {
    migration = await migratePostgres(pool, at)
  } catch (err) {
    await pool.end().catch(() => undefined)
    if (err instanceof StoreError) throw err
    throw describeConnectError(err, target, t.password)
  }
  const db = new Kysely<KepuDatabase>({ dialect: new PostgresDialect({ pool }) })
  let released = false
  return {
    db,
    pool,
    target,
    migration,
    async release() {
      if (released) return
      released = true
      await db.destroy()
    },
  }
}

const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'ENOENT'])

/** One line for an operator: which host, and why — with the password scrubbed should a driver echo it. */
export function describeConnectError(err: unknown, target: string, password: string): StoreError {
  const code = errorCodeOf(err)
  const raw = err instanceof Error ? err.message : String(err)
  let why = (raw || code || 'unknown error').replace(/\s+/g, ' ').trim()
  if (password) why = why.split(password).join('***')
  let message: string
  if ((code && NETWORK.has(code)) || /timeout|terminated unexpectedly/i.test(why)) {
    message = `store: cannot reach PostgreSQL at ${target} (${code && !why.includes(code) ? `${code}: ${why}` : why})`
  } else if (code === '28P01' || code === '28000') {
    message = `store: PostgreSQL at ${target} refused the login (${why})`
  } else {
    message = `store: PostgreSQL at ${target}: ${why}`
  }
  return new StoreError('E_STORE_CONNECT', message, { cause: err })
}

function errorCodeOf(err: unknown): string | undefined {
  const codeOf = (e: unknown): string | undefined => {
    const code = e instanceof Error ? (e as { code?: unknown }).code : undefined
    return typeof code === 'string' ? code : undefined
  }
  // Node reports a refused dual-stack connect (localhost → ::1 and 127.0.0.1) as an AggregateError.
  return codeOf(err) ?? codeOf((err as { errors?: unknown[] } | undefined)?.errors?.[0])
}
