/**
 * Calls `onGone` once when the process that started this one dies (the process is re-parented, so
 * `process.ppid` changes). A launcher killed with SIGKILL (npx, a shell, a supervisor) sends no signal to
 * its child; without this the bot would keep answering and broadcasting with no parent, and a restart
 * would run two bots. Returns the undo. Started under init (ppid 1) there is nothing to watch.
 */
export function watchParent(onGone: () => void, options: { intervalMs?: number; ppid?: () => number } = {}): () => void {
  const ppid = options.ppid ?? (() => process.ppid)
  const first = ppid()
  if (first <= 1) return () => {}
  const timer = setInterval(() => {
    if (ppid() !== first) {
      clearInterval(timer)
      onGone()
    }
  }, options.intervalMs ?? 500)
  timer.unref()
  return () => clearInterval(timer)
}
