/**
 * LlamaIndex.TS's usual retrieval pipeline: `SentenceSplitter` with its defaults
 * (1,024 tokens, 200 overlap), `VectorStoreIndex` on its default in-memory
 * `SimpleVectorStore`, and the index's retriever, on our embedder through a
 * `BaseEmbedding` adapter. Runs from `bench/.peers` (see `install.ts`).
 */
import { BaseEmbedding } from '@llamaindex/core/embeddings';
import { SentenceSplitter } from '@llamaindex/core/node-parser';
import { Document, MetadataMode } from '@llamaindex/core/schema';
import type { Embedder } from '@newsrag/embed';
import { Settings, VectorStoreIndex } from 'llamaindex';
import { peerVersions } from './install.js';
import type { PeerArticle, PeerPassage, PeerPipeline } from './pipeline.js';

/** Our {@link Embedder} as a LlamaIndex `BaseEmbedding`. */
export class NewsragEmbedding extends BaseEmbedding {
  constructor(private readonly embedder: Embedder) {
    super();
    // One call per 64 texts; our embedder batches further inside.
    this.embedBatchSize = 64;
    this.getTextEmbeddings = async (texts: string[]) => {
      const vectors = await this.embedder.embedDocuments(texts);
      return vectors.map((v) => Array.from(v));
    };
  }

  async getTextEmbedding(text: string): Promise<number[]> {
    return Array.from((await this.embedder.embedDocuments([text]))[0] ?? []);
  }

  override async getQueryEmbedding(query: Parameters<BaseEmbedding['getQueryEmbedding']>[0]): Promise<number[] | null> {
    const text = typeof query === 'string' ? query : query.type === 'text' ? query.text : null;
    return text === null ? null : Array.from(await this.embedder.embedQuery(text));
  }
}

/** Creates the LlamaIndex.TS pipeline on `embedder`. */
export async function createLlamaindexPipeline(embedder: Embedder): Promise<PeerPipeline> {
  const versions = await peerVersions(['llamaindex', '@llamaindex/core']);
  const splitter = new SentenceSplitter();
  Settings.embedModel = new NewsragEmbedding(embedder);
  Settings.nodeParser = splitter;
  let index: VectorStoreIndex | undefined;
  return {
    name: 'LlamaIndex.TS',
    versions,
    splitter: `SentenceSplitter defaults (chunkSize ${splitter.chunkSize} tokens, overlap ${splitter.chunkOverlap}), passages cut to 1,200 chars`,
    async build(articles: readonly PeerArticle[]) {
      const docs = articles.map(
        (a) =>
          new Document({
            text: a.text,
            id_: a.id,
            metadata: { articleId: a.id },
            // The id is bookkeeping for the benchmark, not content: keep it out of what is embedded.
            excludedEmbedMetadataKeys: ['articleId'],
            excludedLlmMetadataKeys: ['articleId'],
          }),
      );
      index = await VectorStoreIndex.fromDocuments(docs);
      return { passages: Object.keys(await index.docStore.docs()).length };
    },
    async retrieve(question: string, k: number): Promise<PeerPassage[]> {
      if (!index) throw new Error('LlamaIndex pipeline: build() first');
      const nodes = await index.asRetriever({ similarityTopK: k }).retrieve({ query: question });
      return nodes.map((n) => ({
        articleId: String(n.node.metadata.articleId),
        text: n.node.getContent(MetadataMode.NONE),
      }));
    },
  };
}
