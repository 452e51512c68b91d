import cliProgress from 'cli-progress';

/** The subset of transformers.js' progress events that a download bar needs. */
export interface DownloadProgressEvent {
  status: string;
  file?: string;
  loaded?: number;
  total?: number;
}

/** A progress callback for transformers.js plus a way to close the bar. */
export interface DownloadProgress {
  callback: (event: DownloadProgressEvent) => void;
  stop: () => void;
}

const MB = 1024 * 1024;

/** Sums per-file byte counts so several files show as one bar. Pure. */
export function totalBytes(files: ReadonlyMap<string, { loaded: number; total: number }>): {
  loaded: number;
  total: number;
} {
  let loaded = 0;
  let total = 0;
  for (const f of files.values()) {
    loaded += f.loaded;
    total += Math.max(f.total, f.loaded);
  }
  return { loaded, total };
}

/**
 * A single download bar on stderr for all files of one model. When `enabled` is false
 * (stderr is not a terminal, or the user turned it off) the callback does nothing.
 */
export function createDownloadProgress(label: string, enabled: boolean): DownloadProgress {
  if (!enabled) return { callback: () => undefined, stop: () => undefined };
  const files = new Map<string, { loaded: number; total: number }>();
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `Downloading ${label} [{bar}] {percentage}% | {value}/{total} MB`,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    callback(event) {
      if (event.status !== 'progress' || event.file === undefined) return;
      files.set(event.file, { loaded: event.loaded ?? 0, total: event.total ?? 0 });
      const { loaded, total } = totalBytes(files);
      const toMb = (n: number): number => Math.round((n / MB) * 10) / 10;
      if (!started) {
        bar.start(toMb(total), toMb(loaded));
        started = true;
      } else {
        bar.setTotal(toMb(total));
        bar.update(toMb(loaded));
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
