/**
 * The corpora the benchmark indexes, laid out in a scratch folder so article ids
 * follow the eval rules: seed articles at the root, BBC under `bbc/` (ids
 * `bbc/<topic>/<NNN>`). The shared folder is only read.
 */
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** A BBC article file: `topic/NNN`. */
export interface BbcFile {
  topic: string;
  name: string;
}

/** Every BBC article file, sorted by topic then name (topic folders only; SOURCE.md etc. are skipped). */
export async function listBbc(bbcDir: string): Promise<BbcFile[]> {
  const out: BbcFile[] = [];
  const topics = (await readdir(bbcDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  for (const topic of topics.sort()) {
    const names = (await readdir(path.join(bbcDir, topic))).filter((n) => n.endsWith('.txt')).sort();
    for (const name of names) out.push({ topic, name: name.slice(0, -'.txt'.length) });
  }
  return out;
}

/** Article ids (`bbc/<topic>/<NNN>`) the given question files refer to. */
export async function questionArticleIds(questionFiles: readonly string[]): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const file of questionFiles) {
    for (const line of (await readFile(file, 'utf8')).split('\n')) {
      if (line.trim() === '') continue;
      const q = JSON.parse(line) as { articles?: unknown };
      if (Array.isArray(q.articles)) for (const a of q.articles) if (typeof a === 'string') ids.add(a);
    }
  }
  return ids;
}

/**
 * A deterministic subset of `limit` BBC files that contains every article a
 * question needs, topped up round-robin across topics. Pure.
 */
export function sampleBbc(all: readonly BbcFile[], limit: number, required: ReadonlySet<string>): BbcFile[] {
  if (limit >= all.length) return [...all];
  const key = (f: BbcFile) => `bbc/${f.topic}/${f.name}`;
  const chosen = new Set(all.filter((f) => required.has(key(f))).map(key));
  const byTopic = new Map<string, BbcFile[]>();
  for (const f of all) byTopic.set(f.topic, [...(byTopic.get(f.topic) ?? []), f]);
  const queues = [...byTopic.values()];
  for (let i = 0; chosen.size < limit; i++) {
    let added = false;
    for (const q of queues) {
      const f = q[i];
      if (f && chosen.size < limit && !chosen.has(key(f))) {
        chosen.add(key(f));
        added = true;
      } else if (f) added = true;
    }
    if (!added) break;
  }
  return all.filter((f) => chosen.has(key(f)));
}

/** Copies seed articles (`*.txt` etc., not README) and the chosen BBC files into `dest`. */
export async function buildCorpus(
  dest: string,
  sources: { seedsDir?: string; bbcDir?: string; bbcFiles?: readonly BbcFile[] },
): Promise<{ dir: string; articles: number }> {
  await mkdir(dest, { recursive: true });
  let articles = 0;
  if (sources.seedsDir) {
    for (const name of await readdir(sources.seedsDir)) {
      if (/^readme/i.test(name) || !/\.(txt|md|html?|json|jsonl)$/i.test(name)) continue;
      await copyFile(path.join(sources.seedsDir, name), path.join(dest, name));
      articles++;
    }
  }
  if (sources.bbcDir && sources.bbcFiles) {
    for (const f of sources.bbcFiles) {
      const dir = path.join(dest, 'bbc', f.topic);
      await mkdir(dir, { recursive: true });
      await copyFile(path.join(sources.bbcDir, f.topic, `${f.name}.txt`), path.join(dir, `${f.name}.txt`));
      articles++;
    }
  }
  return { dir: dest, articles };
}
