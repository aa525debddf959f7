import type Database from 'better-sqlite3'
import { KepuError } from '../core/errors.js'

/** One schema step. `version` counts up from 1; a shipped step is never edited, only followed by a new one. */
export interface Migration {
  version: number
  name: string
  sql: string
}

/** The schema, step by step. The database keeps the last applied version in `PRAGMA user_version`. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'users, subscriptions, announcements, outbox, unanswered questions',
    sql: `
      CREATE TABLE users (
        key TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE subscriptions (
        channel TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        is_group INTEGER NOT NULL DEFAULT 0,
        topic TEXT NOT NULL,
        region TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        PRIMARY KEY (channel, chat_id, topic)
      );
      CREATE INDEX subscriptions_by_topic ON subscriptions (topic, region);
      CREATE TABLE blocked_chats (
        channel TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        since INTEGER NOT NULL,
        PRIMARY KEY (channel, chat_id)
      );
      CREATE TABLE announcements (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        cron TEXT,
        target TEXT NOT NULL,
        template TEXT NOT NULL,
        lead_days TEXT,
        observance TEXT,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_firing_at INTEGER,
        active INTEGER NOT NULL DEFAULT 1
      );
      CREATE TABLE firings (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        announcement_id INTEGER NOT NULL REFERENCES announcements (id),
        fire_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        recipients INTEGER NOT NULL,
        UNIQUE (announcement_id, fire_at)
      );
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        firing_id INTEGER NOT NULL REFERENCES firings (id),
        channel TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        is_group INTEGER NOT NULL DEFAULT 0,
        topic TEXT,
        text TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        message_id TEXT,
        last_error TEXT,
        UNIQUE (firing_id, channel, chat_id)
      );
      CREATE INDEX outbox_due ON outbox (channel, status, next_attempt_at, id);
      CREATE INDEX outbox_by_firing ON outbox (firing_id, status);
      CREATE INDEX outbox_by_chat ON outbox (channel, chat_id, status);
      CREATE TABLE unanswered (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        channel TEXT NOT NULL,
        region TEXT,
        text TEXT NOT NULL,
        normalized TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX unanswered_by_time ON unanswered (at);
    `,
  },
]

/**
 * Additions the SQLite store makes at every open (after `migrate`), outside the numbered steps: each statement is `IF NOT EXISTS`, so it is
 * valid on a database at any version, on SQLite and PostgreSQL alike. They stay out of `user_version` on
 * purpose: the asynchronous store (src/store/sql) continues this file's numbering from version 1, so a new
 * number here would collide with its steps. It takes these statements over as a numbered step.
 *
 * - `unanswered_askers`: who asked a declined question, as a salted hash (per-user caps, ranking by
 *   distinct askers, erasure); deleted with the question.
 * - `store_meta`: per-install values, such as the salt of those hashes (`asker_salt`), written by the store.
 */
export const ADDITIVE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS unanswered_askers (
    unanswered_id INTEGER PRIMARY KEY REFERENCES unanswered (id) ON DELETE CASCADE,
    asker TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS unanswered_askers_by_asker ON unanswered_askers (asker, at);
  CREATE TABLE IF NOT EXISTS store_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
`

/**
 * Brings a database up to the newest schema, one step per transaction, and returns the version it ends at.
 * A database written by a newer kepu (a higher version than this code knows) is refused rather than guessed at.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number
  const newest = migrations.reduce((max, m) => Math.max(max, m.version), 0)
  if (current > newest) {
    throw new KepuError('E_STORE_VERSION', `store: the database is at schema version ${current}, newer than this kepu knows (${newest}); upgrade kepu`)
  }
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue
    db.transaction(() => {
      db.exec(m.sql)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
  return Math.max(current, newest)
}
