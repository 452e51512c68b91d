/**
 * What the benchmark needs of a peer RAG library: build an index of articles,
 * retrieve the top-k passages for a question, each mapped back to its article id
 * through the peer's own metadata.
 */

/** An article handed to a peer: the same text newsrag indexes. */
export interface PeerArticle {
  id: string;
  text: string;
  title?: string;
}

/** A passage a peer returned, as its library gave it. */
export interface PeerPassage {
  articleId: string;
  text: string;
}

/** A peer's usual pipeline on our embedder. */
export interface PeerPipeline {
  /** Library name and version, for the report. */
  readonly name: string;
  readonly versions: Record<string, string>;
  /** How the peer splits, in words (defaults, cut). */
  readonly splitter: string;
  /** Splits, embeds and stores every article. */
  build(articles: readonly PeerArticle[]): Promise<{ passages: number }>;
  /** The top `k` passages for a question, best first. */
  retrieve(question: string, k: number): Promise<PeerPassage[]>;
}

/** The scoring rules' cap: a passage longer than this is not a real passage. */
export const MAX_PASSAGE_CHARS = 1200;

/** Cuts a peer passage to the 1,200-character cap the scoring rules set (its head is kept). Pure. */
export function capPassage(p: PeerPassage): PeerPassage & { cut: boolean } {
  if (p.text.length <= MAX_PASSAGE_CHARS) return { ...p, cut: false };
  return { articleId: p.articleId, text: p.text.slice(0, MAX_PASSAGE_CHARS), cut: true };
}
