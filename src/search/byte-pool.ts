/**
 * Buffers handed back and taken again, for shard files read on most questions of a national corpus: a
 * dropped shard's buffer is reused by the next load instead of freed, so loading allocates nothing in
 * steady state. Fresh buffers per load fragment the native heap (resident memory that stays after they
 * are freed) and their churn makes V8 collect for external memory.
 */
export class BytePool {
  private readonly free: Buffer[] = []
  private freeBytes = 0

  /**
   * @param maxFreeBytes how many bytes of returned buffers are kept for reuse; beyond it they are left
   *   to the collector
   */
  constructor(private readonly maxFreeBytes = 16 * 1024 * 1024) {}

  /**
   * A buffer of at least `size` bytes, starting at byte 0 of its memory (so aligned for any typed array
   * view): a returned one not much larger when there is one, else a new one rounded up to 64 KB.
   */
  take(size: number): Buffer {
    let best = -1
    for (let i = 0; i < this.free.length; i++) {
      const len = this.free[i]!.length
      if (len >= size && len <= size * 1.5 + GRAIN && (best < 0 || len < this.free[best]!.length)) best = i
    }
    if (best >= 0) {
      const [buf] = this.free.splice(best, 1)
      this.freeBytes -= buf!.length
      return buf!
    }
    return Buffer.allocUnsafeSlow(Math.ceil(Math.max(size, 1) / GRAIN) * GRAIN)
  }

  /** Gives a buffer back; the caller must not use it (or any view of it) again. */
  give(buf: Buffer): void {
    this.free.push(buf)
    this.freeBytes += buf.length
    // Oldest first: keep the pool to its size.
    while (this.freeBytes > this.maxFreeBytes && this.free.length) this.freeBytes -= this.free.shift()!.length
  }

  /** Bytes kept for reuse (tests). */
  get idleBytes(): number {
    return this.freeBytes
  }
}

const GRAIN = 64 * 1024
