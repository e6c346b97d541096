// curl's progress meter, only where it helps: a TTY on stderr, not -s, and a body over 1 MB.
import cliProgress from 'cli-progress';

export interface Progress {
  update(bytes: number): void;
  stop(): void;
}

const MIN_BYTES = 1024 * 1024;

export function shouldShowProgress(totalBytes: number, interactive: boolean): boolean {
  return interactive && Number.isFinite(totalBytes) && totalBytes > MIN_BYTES;
}

export function maybeProgress(totalBytes: number, interactive: boolean): Progress | undefined {
  if (!shouldShowProgress(totalBytes, interactive)) return undefined;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: ' {bar} {percentage}% | {value_mb}/{total_mb} MB | {speed} MB/s | ETA {eta}s',
      hideCursor: true,
      clearOnComplete: true,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  const mb = (n: number) => (n / 1048576).toFixed(1);
  bar.start(totalBytes, 0, { value_mb: mb(0), total_mb: mb(totalBytes), speed: '0' });
  let stopped = false;
  return {
    update(bytes) {
      if (stopped) return;
      const seconds = Math.max(1e-3, (performance.now() - started) / 1000);
      bar.update(bytes, { value_mb: mb(bytes), speed: mb(bytes / seconds) });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
