import cliProgress from 'cli-progress';
import type { IndexProgress } from '../types.js';

const LABELS: Record<IndexProgress['phase'], string> = {
  read: 'Reading ',
  chunk: 'Chunking',
  embed: 'Embedding',
  write: 'Writing ',
};

/**
 * A progress bar on stderr when it is a terminal; nothing otherwise, so logs and
 * `--json` output stay clean.
 */
export function indexProgressBar(enabled: boolean): { onProgress?: (p: IndexProgress) => void; stop(): void } {
  if (!enabled) return { stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: '{phase} [{bar}] {value}/{total}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let phase: IndexProgress['phase'] | null = null;
  return {
    onProgress(p) {
      if (p.phase !== phase) {
        if (phase) bar.stop();
        phase = p.phase;
        bar.start(p.total, p.done, { phase: LABELS[p.phase] });
      } else {
        bar.update(p.done);
      }
    },
    stop() {
      if (phase) bar.stop();
    },
  };
}
