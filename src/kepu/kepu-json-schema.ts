import { z } from 'zod'
import { cardFileSchema } from './card-schema.js'

/**
 * The JSON Schema of a card file (content/schema/kepu.schema.json), for editors: a YAML language server
 * reads it through a `# yaml-language-server: $schema=../schema/kepu.schema.json` line. Generated from
 * the zod schema, which stays the source of truth; a test fails when the file is out of date. Write it with
 * `npx tsx -e "import('./src/kepu/kepu-json-schema.ts').then((m) => m.writeKepuJsonSchema('content/schema'))"`.
 */
export function kepuJsonSchema(): object {
  return { title: 'kepu-bot knowledge cards (content/kepu/*.yaml)', ...z.toJSONSchema(cardFileSchema, { io: 'input' }) }
}
