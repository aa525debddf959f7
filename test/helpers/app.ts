import { createApp, type App } from '../../src/app.js'
import { cacheDir } from '../../src/core/cache-dir.js'
import { FakeClock } from '../fakes/fake-clock.js'
import type { Incoming } from '../../src/core/incoming.js'

let shared: App | undefined

/** One app over the bundled content for a test file (building it takes ~0.3 s). */
export function testApp(): App {
  shared ??= createApp({ clock: new FakeClock('2026-05-05T01:00:00Z'), cacheDir: cacheDir() })
  return shared
}

/** An Incoming for a private console chat. */
export function incoming(text: string, extra: Partial<Incoming> = {}): Incoming {
  return { channel: 'test', chatId: 'c1', userId: 'u1', isGroup: false, mentioned: true, forwarded: false, text, ...extra }
}
