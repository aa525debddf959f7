import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { ConsoleStore } from '../store/console-store.js'

/** A login link is good for 10 minutes, once. */
export const LOGIN_LINK_TTL_MS = 10 * 60_000
/** A session ends after 30 minutes without a request. */
export const SESSION_IDLE_MS = 30 * 60_000
/** The session cookie (HttpOnly, SameSite=Strict, Path=/admin). */
export const SESSION_COOKIE = 'kepu_console'

/** A random opaque value: 32 bytes, base64url. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url')
}

/** What the store keeps instead of a secret. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex')
}

/** Compares two strings in constant time (the CSRF token). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Creates a one-time login link for an admin and returns the URL; the store keeps only the token's hash. */
export async function createLoginLink(store: ConsoleStore, userKey: string, baseUrl: string, now: Date): Promise<string> {
  const token = newSecret()
  await store.addLoginToken(hashSecret(token), userKey, now, new Date(now.getTime() + LOGIN_LINK_TTL_MS))
  return `${baseUrl.replace(/\/+$/, '')}/admin/login?token=${token}`
}

/** The console's base URL from the HTTP settings: a wildcard host is shown as 127.0.0.1. */
export function consoleBaseUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`
}

/** Reads one cookie from a Cookie header. */
export function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=')
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim()
  }
  return undefined
}

export function sessionCookie(id: string): string {
  return `${SESSION_COOKIE}=${id}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${SESSION_IDLE_MS / 1000}`
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0`
}

/**
 * Failed login attempts in a sliding window, across the whole server (the routes do not see the client's
 * address behind a proxy): more than `max` failures in `windowMs` and every login is refused until the
 * window has passed. A valid link still needs an unused token, so this only slows guessing further.
 */
export class LoginLimiter {
  private failures: number[] = []
  constructor(
    private readonly max = 20,
    private readonly windowMs = 60_000,
  ) {}

  blocked(now: number): boolean {
    this.failures = this.failures.filter((t) => t > now - this.windowMs)
    return this.failures.length >= this.max
  }

  fail(now: number): void {
    this.failures.push(now)
  }
}
