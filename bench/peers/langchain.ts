/**
 * LangChain.js's usual retrieval pipeline: `RecursiveCharacterTextSplitter` with its
 * defaults (1,000 characters, 200 overlap), `MemoryVectorStore` (in LangChain v1 it
 * lives in `@langchain/classic`), `similaritySearch`, on our embedder through an
 * `Embeddings` adapter. Runs from `bench/.peers` (see `install.ts`).
 */
import { MemoryVectorStore } from '@langchain/classic/vectorstores/memory';
import { Embeddings } from '@langchain/core/embeddings';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import type { Embedder } from '@newsrag/embed';
import { peerVersions } from './install.js';
import type { PeerArticle, PeerPassage, PeerPipeline } from './pipeline.js';

/** Our {@link Embedder} as a LangChain `Embeddings` class. */
export class NewsragEmbeddings extends Embeddings {
  constructor(private readonly embedder: Embedder) {
    super({});
  }

  override async embedDocuments(documents: string[]): Promise<number[][]> {
    const vectors = await this.embedder.embedDocuments(documents);
    return vectors.map((v) => Array.from(v));
  }

  override async embedQuery(document: string): Promise<number[]> {
    return Array.from(await this.embedder.embedQuery(document));
  }
}

/** Creates the LangChain.js pipeline on `embedder`. */
export async function createLangchainPipeline(embedder: Embedder): Promise<PeerPipeline> {
  const versions = await peerVersions(['@langchain/core', '@langchain/classic', '@langchain/textsplitters']);
  const splitter = new RecursiveCharacterTextSplitter();
  const store = new MemoryVectorStore(new NewsragEmbeddings(embedder));
  return {
    name: 'LangChain.js',
    versions,
    splitter: `RecursiveCharacterTextSplitter defaults (chunkSize ${splitter.chunkSize} chars, overlap ${splitter.chunkOverlap})`,
    async build(articles: readonly PeerArticle[]) {
      const docs = await splitter.createDocuments(
        articles.map((a) => a.text),
        articles.map((a) => ({ articleId: a.id })),
      );
      await store.addDocuments(docs);
      return { passages: docs.length };
    },
    async retrieve(question: string, k: number): Promise<PeerPassage[]> {
      const docs = await store.similaritySearch(question, k);
      return docs.map((d) => ({ articleId: String(d.metadata.articleId), text: d.pageContent }));
    },
  };
}
