/** The load benchmark's question sets. */
import { readFileSync } from 'node:fs';

/**
 * Phrasings of one question that a crowd might use: when a run needs more asks than the files
 * hold questions, later rounds ask the same questions in these words, so each text is still
 * asked once (and embedded afresh: different words are different tokens).
 */
const PHRASINGS = ['{q}', 'Does anyone know: {q}', 'Quick question, {q}', 'Can you tell me: {q}', 'I wonder, {q}'];

/** `needed` questions from JSON-lines files, none repeated; throws when even the phrasings run out. */
export function distinctQuestions(files: readonly string[], needed: number): string[] {
  const base = [
    ...new Set(
      files.flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map((line) => String((JSON.parse(line) as { question?: unknown }).question ?? '').trim())
          .filter((q) => q !== ''),
      ),
    ),
  ];
  const out: string[] = [];
  for (const phrasing of PHRASINGS) {
    for (const q of base) {
      if (out.length === needed) return out;
      out.push(phrasing.replace('{q}', phrasing === '{q}' ? q : q.charAt(0).toLowerCase() + q.slice(1)));
    }
  }
  if (out.length < needed)
    throw new Error(
      `--questions: ${files.join(', ')} hold ${base.length} questions, ${out.length} texts with their phrasings; this run asks ${needed}. Add question files or lower --min-samples/--warmup.`,
    );
  return out;
}
