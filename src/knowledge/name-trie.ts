/** One node of the trie: the next character's nodes, and the values of the names that end here. */
interface TrieNode<T> {
  next: Map<string, TrieNode<T>>
  values?: T[]
}

/** A name found in a text. */
export interface NameMatch<T> {
  /** Where it starts and how long it is (UTF-16 code units, as String#indexOf counts). */
  at: number
  length: number
  /** The values added under this name, in the order they were added. */
  values: readonly T[]
}

/**
 * Names in a character trie, so that finding every name in a short text costs the text's length times
 * the longest name, whatever the number of names (thousands of regions, their districts and towns).
 * Adding a name costs its length: the trie grows with the corpus without being rebuilt.
 */
export class NameTrie<T> {
  private readonly root: TrieNode<T> = { next: new Map() }
  private count = 0

  /** How many names were added. */
  get size(): number {
    return this.count
  }

  add(name: string, value: T): void {
    let node = this.root
    for (let i = 0; i < name.length; i++) {
      const ch = name[i]!
      let child = node.next.get(ch)
      if (!child) {
        child = { next: new Map() }
        node.next.set(ch, child)
      }
      node = child
    }
    if (node.values) node.values.push(value)
    else node.values = [value]
    this.count++
  }

  /** Every occurrence of every name in `text` (overlapping ones included), by start, shorter first. */
  matches(text: string): NameMatch<T>[] {
    const out: NameMatch<T>[] = []
    for (let at = 0; at < text.length; at++) {
      let node: TrieNode<T> | undefined = this.root
      for (let i = at; i < text.length; i++) {
        node = node.next.get(text[i]!)
        if (!node) break
        if (node.values) out.push({ at, length: i - at + 1, values: node.values })
      }
    }
    return out
  }
}
