import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { eventsFileSchema } from './event-schema.js'
import { observancesFileSchema } from './observance-schema.js'

/**
 * JSON Schemas of the calendar's content files, for editors (YAML language servers read them through
 * a `# yaml-language-server: $schema=…` line). Generated from the zod schemas, which stay the source
 * of truth; a test fails when content/schema/ is out of date.
 */
export function calendarJsonSchemas(): Record<string, object> {
  return {
    'observances.schema.json': withTitle(z.toJSONSchema(observancesFileSchema, { io: 'input' }), 'kepu-bot observances (content/observances.yaml)'),
    'events.schema.json': withTitle(z.toJSONSchema(eventsFileSchema, { io: 'input' }), 'kepu-bot local events (content/events/*.yaml)'),
  }
}

/** The file text of a schema, as written to content/schema/. */
export function schemaFileText(schema: object): string {
  return `${JSON.stringify(schema, null, 2)}\n`
}

/**
 * Writes the schemas to a folder. Run after changing a schema:
 * `npx tsx -e "import('./src/calendar/calendar-json-schemas.ts').then((m) => m.writeCalendarJsonSchemas('content/schema'))"`
 */
export function writeCalendarJsonSchemas(dir: string): void {
  mkdirSync(dir, { recursive: true })
  for (const [name, schema] of Object.entries(calendarJsonSchemas())) writeFileSync(join(dir, name), schemaFileText(schema))
}

function withTitle(schema: object, title: string): object {
  return { title, ...schema }
}
