/** Turning a file's bytes into text, or a reason why they are not text. */

export type Decoded = { ok: true; text: string } | { ok: false; reason: string };

const MAGIC: Array<[string, number[]]> = [
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['a PDF document', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['a ZIP archive (or Office document)', [0x50, 0x4b, 0x03, 0x04]],
  ['a gzip archive', [0x1f, 0x8b]],
];

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** Offset of the first byte that breaks UTF-8, or -1 when all of `bytes` is valid. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= bytes.length) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Line endings as `\n`, so offsets and paragraph rules do not depend on the platform that wrote the file. */
function normalizeNewlines(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/**
 * Decodes a text file: UTF-8 (a BOM is dropped) or UTF-16 LE/BE with a BOM.
 * Binary content (known file signatures, NUL bytes) and invalid UTF-8 are refused
 * with a reason naming the byte offset. CRLF and CR line ends become `\n`.
 */
export function decodeText(bytes: Uint8Array): Decoded {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes, 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes, 'utf-16be');
  for (const [what, prefix] of MAGIC) {
    if (startsWith(bytes, prefix)) return { ok: false, reason: `binary content: looks like ${what}` };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return { ok: false, reason: `binary content: NUL byte at offset ${nul} (UTF-16 needs a byte order mark)` };
  }
  try {
    // The decoder drops a UTF-8 BOM itself.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { ok: true, text: normalizeNewlines(text) };
  } catch {
    const bad = Math.max(0, firstInvalidUtf8(bytes));
    return {
      ok: false,
      reason: `not valid UTF-8: byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')} at offset ${bad} (save the file as UTF-8)`,
    };
  }
}

function decodeUtf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): Decoded {
  if (bytes.length % 2 !== 0) {
    return { ok: false, reason: `not valid ${encoding.toUpperCase()}: odd number of bytes (${bytes.length})` };
  }
  try {
    const text = new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(2));
    if (text.includes('\u0000'))
      return { ok: false, reason: `binary content: NUL character in ${encoding.toUpperCase()} text` };
    return { ok: true, text: normalizeNewlines(text) };
  } catch {
    return { ok: false, reason: `not valid ${encoding.toUpperCase()}: unpaired surrogate` };
  }
}
