import { endianness } from 'node:os'

/** A string's UTF-16 code units in the machine's byte order (for typed array views of saved files). */
export function codeUnits(text: string): Uint16Array {
  const units = new Uint16Array(text.length)
  for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i)
  return units
}

/**
 * The string of some UTF-16 code units (the reverse of codeUnits). On a little-endian machine (nearly all)
 * the bytes are decoded as they are; `String.fromCharCode.apply` copies every unit into an argument list
 * first, garbage the size of four strings.
 */
export function textOf(units: Uint16Array): string {
  if (LITTLE_ENDIAN) return Buffer.from(units.buffer, units.byteOffset, units.byteLength).toString('utf16le')
  if (units.length <= CHUNK) return String.fromCharCode.apply(null, units as unknown as number[])
  let out = ''
  for (let i = 0; i < units.length; i += CHUNK) out += String.fromCharCode.apply(null, units.subarray(i, i + CHUNK) as unknown as number[])
  return out
}

const CHUNK = 8192
const LITTLE_ENDIAN = endianness() === 'LE'
