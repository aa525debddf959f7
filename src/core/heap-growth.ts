import { setFlagsFromString } from 'node:v8'

/**
 * Caps how far V8 lets the heap grow past what is live after each full collection, for a long-running
 * process (`serve`, `chat`). A national corpus loads a shard on most questions and drops another, and
 * with V8's own growth (up to several times the live size) the process held 1.1–1.6 GB for a 320 MB live
 * heap; 20 % keeps it near 600 MB with the same reply times (docs/operations.md). V8 reads this flag at
 * each collection, so it takes effect when set at run time. 0 leaves V8's own heuristics.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${Math.round(percent)}`)
}
