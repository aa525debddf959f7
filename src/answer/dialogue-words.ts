import { z } from 'zod'
import { loadYaml } from '../knowledge/load-yaml.js'

const words = z.array(z.string().min(1)).min(1)

const DialogueWordsSchema = z.object({
  small_talk: z.object({ thanks: words, bye: words, okay: words, filler: z.array(z.string().min(1)).default([]) }),
  follow_up_filler: words,
})

/** What small talk is, and which words around a place name make a follow-up (content/question-words.yaml). */
export interface DialogueWords {
  thanks: string[]
  bye: string[]
  okay: string[]
  /** Words that ride along in small talk (你, 啊, 帮我看). */
  filler: string[]
  followUpFiller: string[]
}

/** Loads and validates content/question-words.yaml; every list longest first, lower case. */
export function loadDialogueWords(file: string): DialogueWords {
  const d = loadYaml(file, DialogueWordsSchema)
  const prep = (list: string[]): string[] => [...new Set(list.map((w) => w.normalize('NFKC').toLowerCase()))].sort((a, b) => b.length - a.length)
  return { thanks: prep(d.small_talk.thanks), bye: prep(d.small_talk.bye), okay: prep(d.small_talk.okay), filler: prep(d.small_talk.filler), followUpFiller: prep(d.follow_up_filler) }
}

export type SmallTalkKind = 'thanks' | 'bye' | 'okay'

const taggedCache = new WeakMap<DialogueWords, (readonly [SmallTalkKind | undefined, string])[]>()
/** Every small-talk word with its kind, longest first (once per word lists). */
function tagged(w: DialogueWords): (readonly [SmallTalkKind | undefined, string])[] {
  let all = taggedCache.get(w)
  if (!all) {
    const lists: [SmallTalkKind | undefined, string[]][] = [['bye', w.bye], ['thanks', w.thanks], ['okay', w.okay], [undefined, w.filler]]
    all = lists.flatMap(([kind, list]) => list.map((word) => [kind, word] as const)).sort((a, b) => b[1].length - a[1].length)
    taggedCache.set(w, all)
  }
  return all
}

/**
 * The kind of a message made only of small-talk words (「知道啦，多谢」 → thanks), or undefined when
 * anything else is in it. Goodbye wins over thanks, thanks over okay.
 */
export function smallTalkKind(text: string, w: DialogueWords): SmallTalkKind | undefined {
  const rest = text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '')
  // 「你好」 is a greeting (help answers it), not an okay.
  if (!rest || Array.from(rest).length > 24 || /^(你|您)好/u.test(rest)) return undefined
  const all = tagged(w)
  // Cut the text into small-talk words (any cut will do: 「你帮我看」 is 你 + 帮我看), collecting their kinds.
  const memo = new Map<number, Set<SmallTalkKind> | null>()
  const cutFrom = (i: number): Set<SmallTalkKind> | null => {
    if (i === rest.length) return new Set()
    const seen = memo.get(i)
    if (seen !== undefined) return seen
    let found: Set<SmallTalkKind> | null = null
    for (const [kind, word] of all) {
      if (!rest.startsWith(word, i)) continue
      const after = cutFrom(i + word.length)
      if (after) {
        found = new Set(after)
        if (kind) found.add(kind)
        break
      }
    }
    memo.set(i, found)
    return found
  }
  const kinds = cutFrom(0)
  if (!kinds) return undefined
  return kinds.has('bye') ? 'bye' : kinds.has('thanks') ? 'thanks' : kinds.has('okay') ? 'okay' : undefined
}

/**
 * True when `text`, with the places at `spans` and the follow-up filler words taken out, is empty:
 * 「那高平呢」, 「乌海那边是咋弄的」.
 */
export function onlyPlaceAndFiller(text: string, spans: { at: number; length: number }[], w: DialogueWords): boolean {
  let rest = ''
  let i = 0
  for (const s of [...spans].sort((a, b) => a.at - b.at)) {
    rest += `${text.slice(i, s.at)} `
    i = s.at + s.length
  }
  rest += text.slice(i)
  rest = rest.normalize('NFKC').replace(/[\s\p{P}\p{S}]+/gu, ' ')
  for (const word of w.followUpFiller) rest = rest.split(word).join(' ')
  return rest.trim() === ''
}
