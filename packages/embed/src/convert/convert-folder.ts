import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EMBED_DTYPES } from '../dtype.js';
import { EmbedError } from '../errors.js';
import { onnxFileName } from '../hub.js';
import { encodeBertGraph } from '../onnx/bert-graph.js';
import type { EmbedDtype } from '../types.js';
import { bertWeightsFrom, parseBertConfig } from './bert-weights.js';
import { readSafetensors } from './safetensors.js';

/** Files copied as they are when present (tokenizer and sentence-transformers configs). */
const COPIED = [
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'vocab.txt',
  'modules.json',
  'sentence_bert_config.json',
  'config_sentence_transformers.json',
  '1_Pooling/config.json',
  'README.md',
] as const;
const REQUIRED = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'model.safetensors'] as const;

/** What {@link convertBertFolder} wrote. */
export interface ConvertResult {
  /** Paths relative to the output folder. */
  files: string[];
  layers: number;
  hidden: number;
}

/**
 * Turns a sentence-transformers / Hugging Face BERT folder with `model.safetensors` into
 * the layout transformers.js loads (`onnx/model.onnx`, `onnx/model_quantized.onnx`, the
 * tokenizer and configs beside them). The ONNX graph is written by newsrag itself from
 * the weights, so no PyTorch or Python export step is needed.
 *
 * @throws EmbedError `EMBED_MODEL_INVALID` naming the file that is missing or unusable.
 */
export async function convertBertFolder(
  srcDir: string,
  outDir: string,
  dtypes: readonly EmbedDtype[] = EMBED_DTYPES,
): Promise<ConvertResult> {
  for (const name of REQUIRED) {
    try {
      await readFile(path.join(srcDir, name), { flag: 'r' }).then(() => undefined);
    } catch {
      throw new EmbedError('EMBED_MODEL_INVALID', `${srcDir} has no ${name}; it is not a BERT model folder.`);
    }
  }
  const configFile = path.join(srcDir, 'config.json');
  const config = parseBertConfig(JSON.parse(await readFile(configFile, 'utf8')) as Record<string, unknown>, configFile);
  const weightsFile = path.join(srcDir, 'model.safetensors');
  const weights = bertWeightsFrom(await readSafetensors(weightsFile), config, weightsFile);

  const files: string[] = [];
  for (const name of COPIED) {
    const from = path.join(srcDir, name);
    const to = path.join(outDir, name);
    try {
      await mkdir(path.dirname(to), { recursive: true });
      await copyFile(from, to);
      files.push(name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  await mkdir(path.join(outDir, 'onnx'), { recursive: true });
  for (const dtype of dtypes) {
    const bytes = encodeBertGraph(weights, config, dtype, {
      graphName: 'bert',
      docString: `BERT encoder (${config.layers} layers, ${config.hidden} hidden) written by newsrag from ${path.basename(weightsFile)}${dtype === 'q8' ? ', int8 weights (per-column scales)' : ''}.`,
    });
    const rel = onnxFileName(dtype);
    await writeFile(path.join(outDir, rel), bytes);
    files.push(rel);
  }
  return { files, layers: config.layers, hidden: config.hidden };
}
