import { parseArgs } from 'node:util';

/** What the command line asks for. */
export interface Cli<S extends { id: string }> {
  quick: boolean;
  /** The sections to run, in their given order. */
  only: S[];
  keep: boolean;
  /** The embedder of the quality and peers sections (default `standin`). */
  model: string;
}

/** The usage text, listing the section ids. */
export function usage(sections: ReadonlyArray<{ id: string }>): string {
  return `usage: npm run bench -- [--quick] [--only ${sections.map((s) => s.id).join(',')}] [--keep] [--model M]
  --quick   a subset in under 3 minutes (smaller corpora and sizes, fewer runs)
  --only    run only these sections (comma-separated)
  --keep    keep the scratch folder (corpora copies, indexes) and print its path
  --model   the embedder of the quality and peers sections: standin (default), all-MiniLM-L6-v2, bge-small-en-v1.5`;
}

/** Parses the command line; throws an error carrying the usage on a bad flag or section name. Pure. */
export function parseCli<S extends { id: string }>(argv: string[], sections: readonly S[]): Cli<S> {
  let values: { quick?: boolean; only?: string; keep?: boolean; model?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean' },
        only: { type: 'string' },
        keep: { type: 'boolean' },
        model: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${usage(sections)}`);
  }
  if (values.help) throw new Error(usage(sections));
  const names = values.only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names?.filter((n) => !sections.some((s) => s.id === n)) ?? [];
  if (unknown.length > 0) throw new Error(`--only: unknown section(s) ${unknown.join(', ')}\n${usage(sections)}`);
  return {
    quick: values.quick ?? false,
    only: names ? sections.filter((s) => names.includes(s.id)) : [...sections],
    keep: values.keep ?? false,
    model: values.model ?? 'standin',
  };
}
