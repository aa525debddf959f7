/**
 * Lines of a byte stream as the batch contract counts them: split on `\n` only (a raw CR inside a line
 * stays in it), one trailing `\r` stripped (CRLF files), a byte-order mark at the very start of the
 * stream dropped, and a last line without its `\n` still a line. UTF-8 is decoded across chunk borders.
 */
export async function* readLines(input: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true })
  let buffered = ''
  let first = true
  for await (const chunk of input) {
    buffered += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })
    if (first && buffered.length > 0) {
      if (buffered.charCodeAt(0) === 0xfeff) buffered = buffered.slice(1)
      first = buffered.length === 0
    }
    let nl: number
    while ((nl = buffered.indexOf('\n')) >= 0) {
      yield stripCr(buffered.slice(0, nl))
      buffered = buffered.slice(nl + 1)
    }
  }
  buffered += decoder.decode()
  if (first && buffered.charCodeAt(0) === 0xfeff) buffered = buffered.slice(1)
  if (buffered.length > 0) yield stripCr(buffered)
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line
}
