/**
 * The SQLite engine's own lexical postings: the codec of one *segment* (a term's postings
 * written by one transaction, or several merged) and the policy that picks segments to merge.
 * Pure functions over bytes and numbers; lexical.ts does the SQL.
 *
 * A segment BLOB is unsigned LEB128 varints: the number of text entries, the number of title
 * entries, then each text entry as (seq − previous seq, ordinal, term frequency) and each
 * title entry as (seq − previous seq, term frequency). Entries are sorted by (seq, ordinal).
 * A title entry stands for every chunk of its article (they all carry the article's title),
 * so a title costs one entry per article, not per chunk. Consecutive chunks of an article
 * cost 3 bytes per entry (delta 0, a small ordinal, a small frequency).
 */

/** One field's entries of a segment, as parallel arrays (no per-entry objects). */
export interface SegmentEntries {
  /** Text: seq, ordinal, tf per entry (3 numbers each). */
  text: number[];
  /** Title: seq, tf per entry (2 numbers each). */
  title: number[];
}

/** A growable byte buffer for varints. */
class ByteWriter {
  private buf = new Uint8Array(256);
  length = 0;

  varint(value: number): void {
    if (this.length + 8 > this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    }
    let v = value;
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  bytes(): Buffer {
    return Buffer.from(this.buf.buffer, 0, this.length);
  }
}

/** A cursor reading varints; throws on a truncated BLOB so damage is named, not misread. */
export class ByteReader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}

  varint(): number {
    const buf = this.buf;
    let b = buf[this.pos++];
    if (b === undefined) throw new RangeError('truncated postings segment');
    if (b < 0x80) return b;
    let value = b & 0x7f;
    let scale = 0x80;
    for (;;) {
      b = buf[this.pos++];
      if (b === undefined) throw new RangeError('truncated postings segment');
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 0x80;
      if (scale > 2 ** 49) throw new RangeError('malformed varint in postings segment');
    }
  }

  get done(): boolean {
    return this.pos >= this.buf.length;
  }
}

function checkSorted(entries: readonly number[], width: number, field: string): void {
  for (let i = width; i < entries.length; i += width) {
    const prevSeq = entries[i - width] as number;
    const seq = entries[i] as number;
    if (seq < prevSeq || (width === 3 && seq === prevSeq && (entries[i + 1] as number) <= (entries[i - 2] as number))) {
      throw new RangeError(`${field} entries of a postings segment must be sorted by (seq, ordinal) without repeats`);
    }
  }
}

/** The BLOB of a segment; entries must be sorted (see {@link sortEntries}). */
export function encodeSegment(entries: SegmentEntries): Buffer {
  checkSorted(entries.text, 3, 'text');
  checkSorted(entries.title, 2, 'title');
  const w = new ByteWriter();
  w.varint(entries.text.length / 3);
  w.varint(entries.title.length / 2);
  let prev = 0;
  for (let i = 0; i < entries.text.length; i += 3) {
    const seq = entries.text[i] as number;
    w.varint(seq - prev);
    w.varint(entries.text[i + 1] as number);
    w.varint(entries.text[i + 2] as number);
    prev = seq;
  }
  prev = 0;
  for (let i = 0; i < entries.title.length; i += 2) {
    const seq = entries.title[i] as number;
    w.varint(seq - prev);
    w.varint(entries.title[i + 1] as number);
    prev = seq;
  }
  return w.bytes();
}

/** Every entry of a segment BLOB. @throws RangeError for a truncated or malformed BLOB. */
export function decodeSegment(blob: Uint8Array): SegmentEntries {
  const r = new ByteReader(blob);
  const textCount = r.varint();
  const titleCount = r.varint();
  const text = new Array<number>(textCount * 3);
  const title = new Array<number>(titleCount * 2);
  let seq = 0;
  for (let i = 0; i < textCount; i++) {
    seq += r.varint();
    text[i * 3] = seq;
    text[i * 3 + 1] = r.varint();
    text[i * 3 + 2] = r.varint();
  }
  seq = 0;
  for (let i = 0; i < titleCount; i++) {
    seq += r.varint();
    title[i * 2] = seq;
    title[i * 2 + 1] = r.varint();
  }
  if (!r.done) throw new RangeError('postings segment has bytes after its entries');
  return { text, title };
}

/** Sorts entries (text triples, title pairs) by (seq, ordinal) in place; keeps the data of each entry together. */
export function sortEntries(entries: SegmentEntries): SegmentEntries {
  return { text: sortGroups(entries.text, 3), title: sortGroups(entries.title, 2) };
}

function sortGroups(flat: number[], width: number): number[] {
  const n = flat.length / width;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) {
    const a = flat[(i - 1) * width] as number;
    const b = flat[i * width] as number;
    if (b < a || (width === 3 && b === a && (flat[i * width + 1] as number) < (flat[(i - 1) * width + 1] as number)))
      sorted = false;
  }
  if (sorted) return flat;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((x, y) => {
    const d = (flat[x * width] as number) - (flat[y * width] as number);
    return d !== 0 || width === 2 ? d : (flat[x * width + 1] as number) - (flat[y * width + 1] as number);
  });
  const out = new Array<number>(flat.length);
  order.forEach((from, to) => {
    for (let j = 0; j < width; j++) out[to * width + j] = flat[from * width + j] as number;
  });
  return out;
}

/** A term gets its segments merged once it has more than this many. */
export const MAX_SEGMENTS = 8;

/**
 * Which of a term's segments to merge, by their sizes in bytes: none while it has at most
 * {@link MAX_SEGMENTS}; else the smallest ones, growing the set while the next segment is at
 * most twice what is already taken. So small fresh segments merge with each other and a
 * large old one is rewritten only once the rest has grown to its size (size-tiered, as an
 * LSM tree: each entry is rewritten O(log n) times, and a write never rewrites a common
 * term's whole postings). Returns indices into `sizes`.
 */
export function pickMerge(sizes: readonly number[], maxSegments = MAX_SEGMENTS): number[] {
  if (sizes.length <= maxSegments) return [];
  const order = sizes.map((_, i) => i).sort((a, b) => (sizes[a] as number) - (sizes[b] as number));
  const taken = [order[0] as number, order[1] as number];
  let sum = (sizes[taken[0] as number] as number) + (sizes[taken[1] as number] as number);
  for (let i = 2; i < order.length; i++) {
    const s = sizes[order[i] as number] as number;
    if (s > 2 * sum && sizes.length - taken.length + 1 <= maxSegments) break;
    taken.push(order[i] as number);
    sum += s;
  }
  return taken;
}

/** Text entries per skip block: a lookup decodes at most this many entries of a big segment past its block's start. */
export const SKIP_BLOCK = 64;

/**
 * The skip data of a segment BLOB (the `postings.skips` column), or null for a segment of at
 * most {@link SKIP_BLOCK} text entries (decoded whole) or with a seq past 2^32. Little-endian
 * uint32s: the byte offset of the title entries, then per block of {@link SKIP_BLOCK} text
 * entries the seq of its first entry and the byte offset of that entry. So a lookup of a
 * common term's entry for one chunk jumps to its block instead of decoding the segment.
 */
export function segmentSkips(blob: Uint8Array): Buffer | null {
  const r = new ByteReader(blob);
  const textCount = r.varint();
  r.varint();
  if (textCount <= SKIP_BLOCK) return null;
  const blocks = Math.ceil(textCount / SKIP_BLOCK);
  const out = Buffer.alloc(4 + blocks * 8);
  let seq = 0;
  for (let i = 0; i < textCount; i++) {
    const at = r.pos;
    seq += r.varint();
    if (seq >= 2 ** 32) return null;
    if (i % SKIP_BLOCK === 0) {
      const b = i / SKIP_BLOCK;
      out.writeUInt32LE(seq, 4 + b * 8);
      out.writeUInt32LE(at, 8 + b * 8);
    }
    r.varint();
    r.varint();
  }
  out.writeUInt32LE(r.pos, 0);
  return out;
}
