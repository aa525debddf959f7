import { basename, join } from 'node:path'
import { ContentError } from '../core/errors.js'
import { loadYaml, yamlFilesIn } from '../knowledge/load-yaml.js'
import { cardFileSchema, type Card } from './card-schema.js'

/** A card with the file it came from (`kepu/health.yaml`), for errors and reports. */
export interface LoadedCard extends Card {
  file: string
}

/** The folder under content/ that holds the cards. */
export const CARDS_FOLDER = 'kepu'

/**
 * Loads every card file of content/kepu/ (sorted by name) and validates it. The first invalid entry
 * throws a ContentError of one line naming the file with its folder, the item and the field
 * (`content: kepu/health.yaml: cards item 3 (he-bp-salt): answer: 231 characters, at most 200`); an
 * id used in two files is an error too. A missing folder is no cards.
 */
export function loadCards(contentDir: string): LoadedCard[] {
  const out: LoadedCard[] = []
  const where = new Map<string, string>()
  for (const file of yamlFilesIn(join(contentDir, CARDS_FOLDER))) {
    const name = `${CARDS_FOLDER}/${basename(file)}`
    const data = loadYaml(file, cardFileSchema, name)
    data.cards.forEach((card, i) => {
      const other = where.get(card.id)
      if (other) throw new ContentError(`content: ${name}: cards item ${i + 1} (${card.id}): id: also used in ${other}`)
      where.set(card.id, name)
      out.push({ ...card, file: name })
    })
  }
  return out
}
