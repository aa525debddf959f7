import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { readLines } from '../../src/commands/read-lines.js'

async function lines(chunks: (string | Uint8Array)[]): Promise<string[]> {
  const out: string[] = []
  for await (const l of readLines(Readable.from(chunks, { objectMode: true }))) out.push(l)
  return out
}

const bytes = (s: string) => new TextEncoder().encode(s)

describe('readLines', () => {
  it('splits on \\n only and strips one trailing \\r', async () => {
    expect(await lines(['a\rb\nc\r\n\r\r\nlast'])).toEqual(['a\rb', 'c', '\r', 'last'])
  })

  it('counts blank lines, and no line after a final \\n', async () => {
    expect(await lines(['\n\n x \n'])).toEqual(['', '', ' x '])
    expect(await lines([''])).toEqual([])
  })

  it('drops one BOM at the start of the stream only', async () => {
    expect(await lines([bytes('\ufeff\ufeff{"q":1}\n\ufeff\n')])).toEqual(['\ufeff{"q":1}', '\ufeff'])
    expect(await lines([bytes('\ufeff')])).toEqual([])
    expect(await lines([bytes('\ufeff\n')])).toEqual([''])
  })

  it('decodes UTF-8 split across chunks', async () => {
    const all = bytes('防灾\n减灾日\n')
    const chunks = Array.from(all, (b) => Uint8Array.of(b))
    expect(await lines(chunks)).toEqual(['防灾', '减灾日'])
    const bom = bytes('\ufeffx')
    expect(await lines([bom.slice(0, 1), bom.slice(1, 2), bom.slice(2)])).toEqual(['x'])
  })
})
