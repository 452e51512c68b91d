/**
 * Looking a common term up for a few candidate chunks without decoding its postings: a
 * forward-only cursor per segment that jumps through the segment's skip data
 * (postings.ts `segmentSkips`) to the block holding the wanted seq and decodes from there.
 */
import type { TermCursor } from '../bm25-maxscore.js';
import { SKIP_BLOCK } from './postings.js';

/** One segment of a term, read for lookups in ascending (seq, ordinal) order. */
class SegmentCursor {
  private pos = 0;
  /** Text entries not yet decoded. */
  private remaining: number;
  private readonly textCount: number;
  /** The current (last decoded) text entry; seq −1 before the first. */
  private seq = -1;
  private ordinal = 0;
  private tf = 0;
  /** Index of the next text entry to decode. */
  private index = 0;
  private readonly blocks: number;
  private nextBlock = 1;
  /** Title entries, decoded on the first title lookup. */
  private titleSeqs: number[] | null = null;
  private titleTfs: number[] = [];
  private titleAt = 0;

  constructor(
    readonly generation: number,
    private readonly data: Buffer,
    private readonly skips: Buffer | null,
  ) {
    this.textCount = this.varint();
    this.varint();
    this.remaining = this.textCount;
    this.blocks = skips ? (skips.length - 4) / 8 : 0;
  }

  private varint(): number {
    const buf = this.data;
    let b = buf[this.pos++] as number;
    if (b < 0x80) return b;
    let value = b & 0x7f;
    let scale = 0x80;
    do {
      b = buf[this.pos++] as number;
      value += (b & 0x7f) * scale;
      scale *= 0x80;
    } while (b >= 0x80);
    return value;
  }

  /** The text tf of (seq, ordinal), 0 when absent; calls must ascend. */
  text(seq: number, ordinal: number): number {
    if (this.seq > seq || (this.seq === seq && this.ordinal >= ordinal)) {
      return this.seq === seq && this.ordinal === ordinal ? this.tf : 0;
    }
    const skips = this.skips;
    if (skips !== null && this.nextBlock < this.blocks && skips.readUInt32LE(4 + this.nextBlock * 8) < seq) {
      // The last block starting before `seq`: every entry of `seq` is at or after its start.
      let b = this.nextBlock;
      while (b + 1 < this.blocks && skips.readUInt32LE(4 + (b + 1) * 8) < seq) b++;
      if (b * SKIP_BLOCK > this.index) {
        this.pos = skips.readUInt32LE(8 + b * 8);
        this.varint(); // the delta, replaced by the block's absolute seq
        this.seq = skips.readUInt32LE(4 + b * 8);
        this.ordinal = this.varint();
        this.tf = this.varint();
        this.index = b * SKIP_BLOCK + 1;
        this.remaining = this.textCount - this.index;
      }
      this.nextBlock = b + 1;
    }
    while (this.seq < seq || (this.seq === seq && this.ordinal < ordinal)) {
      if (this.remaining === 0) {
        this.seq = Number.POSITIVE_INFINITY;
        return 0;
      }
      this.seq = Math.max(this.seq, 0) + this.varint();
      this.ordinal = this.varint();
      this.tf = this.varint();
      this.index++;
      this.remaining--;
    }
    return this.seq === seq && this.ordinal === ordinal ? this.tf : 0;
  }

  /** The title tf of `seq`, 0 when absent; calls must ascend. */
  title(seq: number): number {
    if (this.titleSeqs === null) this.decodeTitles();
    const seqs = this.titleSeqs as number[];
    let i = this.titleAt;
    while (i < seqs.length && (seqs[i] as number) < seq) i++;
    this.titleAt = i;
    return i < seqs.length && seqs[i] === seq ? (this.titleTfs[i] as number) : 0;
  }

  /** Decodes the title entries without moving the text cursor. */
  private decodeTitles(): void {
    const textPos = this.pos;
    this.pos = 0;
    this.varint();
    const titleCount = this.varint();
    // Past the text entries: straight there with skip data, else by reading over them.
    if (this.skips !== null) this.pos = this.skips.readUInt32LE(0);
    else for (let i = 0; i < this.textCount * 3; i++) this.varint();
    const seqs: number[] = [];
    let seq = 0;
    for (let i = 0; i < titleCount; i++) {
      seq += this.varint();
      seqs.push(seq);
      this.titleTfs.push(this.varint());
    }
    if (this.pos !== this.data.length) throw new RangeError('postings segment is malformed');
    this.titleSeqs = seqs;
    this.pos = textPos;
  }
}

/** Where a row's article is and whether a segment's entry for it is live. */
export interface LookupLayout {
  /** Per row: its article index. */
  rowArticle: Int32Array;
  firstRow: Int32Array;
  /** Article seq per article index. */
  seqs: readonly number[];
  /** Per article index: the generation of its postings (older segments' entries are dead). */
  writtenAt: Float64Array;
}

/**
 * A {@link TermCursor} for lookups only (a MaxScore non-essential term): per row, the live
 * entries of the term's segments for that row's article and ordinal.
 */
export class SkipCursor implements TermCursor {
  textTf = 0;
  titleTf = 0;
  /** Never iterated: a lookup cursor has no current row. */
  readonly row = 0x7fffffff;
  private readonly segments: SegmentCursor[];
  private lastArticle = -1;
  private articleTitleTf = 0;

  constructor(
    segments: readonly [number, Buffer, Buffer | null][],
    private readonly layout: LookupLayout,
  ) {
    this.segments = segments.map(([generation, data, skips]) => new SegmentCursor(generation, data, skips));
  }

  lookup(row: number): void {
    const { rowArticle, firstRow, seqs, writtenAt } = this.layout;
    const a = rowArticle[row] as number;
    const seq = seqs[a] as number;
    const ordinal = row - (firstRow[a] as number);
    const written = writtenAt[a] as number;
    let text = 0;
    for (const s of this.segments) if (written <= s.generation) text += s.text(seq, ordinal);
    if (a !== this.lastArticle) {
      let title = 0;
      for (const s of this.segments) if (written <= s.generation) title += s.title(seq);
      this.articleTitleTf = title;
      this.lastArticle = a;
    }
    this.textTf = text;
    this.titleTf = this.articleTitleTf;
  }

  take(row: number): void {
    this.lookup(row);
  }
}
