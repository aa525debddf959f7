/** Resolves after `ms`, or at once when `signal` aborts (shutdown must not wait out a retry_after). */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done(): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}

/** Waits for every promise in a set that may grow meanwhile, up to `ms`; true when all settled in time. */
export async function waitAll(set: Set<Promise<void>>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (set.size) {
    const left = deadline - Date.now()
    if (left <= 0) return false
    let timer: NodeJS.Timeout | undefined
    const timedOut = await Promise.race([
      Promise.allSettled([...set]).then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), left)
      }),
    ])
    clearTimeout(timer)
    if (timedOut) return set.size === 0
  }
  return true
}
