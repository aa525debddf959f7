import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** One message of the labelled set: a scam (with its type) or a benign look-alike. */
export interface LabelledMessage {
  id: string
  half: 'tune' | 'holdout' | 'holdout2'
  label: 'scam' | 'benign'
  type?: string
  text: string
}

/** The labelled set, read from labelled-messages.jsonl beside this file. */
export function readLabelledSet(): LabelledMessage[] {
  const file = fileURLToPath(new URL('./labelled-messages.jsonl', import.meta.url))
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelledMessage)
}

/** The shared content folder of the project. */
export const CONTENT_DIR = fileURLToPath(new URL('../../content', import.meta.url))
