import iconv from 'iconv-lite';

/** The charset a Content-Type header names, lower-cased, if any. */
export function headerCharset(contentType: string | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType ?? '');
  return m?.[1]?.toLowerCase();
}

/** The charset an HTML or XML document declares in its first 2 KiB (`<meta charset>`, `http-equiv`, `<?xml encoding?>`). */
export function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  const meta =
    /<meta\s+charset\s*=\s*["']?([\w.:-]+)/i.exec(head) ??
    /<meta[^>]+content\s*=\s*["'][^"']*charset\s*=\s*([\w.:-]+)/i.exec(head) ??
    /<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)/i.exec(head);
  return meta?.[1]?.toLowerCase();
}

/**
 * Decodes a fetched body: a byte-order mark wins, then the Content-Type header's charset,
 * then the document's own declaration, then UTF-8 (iconv-lite knows the legacy code pages,
 * windows-1251, koi8-r, iso-8859-x, shift_jis…). An unknown charset name falls back to UTF-8.
 */
export function decodeBody(bytes: Buffer, contentType: string | undefined): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return iconv.decode(bytes.subarray(2), 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return iconv.decode(bytes.subarray(2), 'utf-16be');
  for (const name of [headerCharset(contentType), declaredCharset(bytes)]) {
    if (name !== undefined && iconv.encodingExists(name)) return iconv.decode(bytes, name);
  }
  return bytes.toString('utf8');
}
