/**
 * A training progress bar (cli-progress): steps done, rate, ETA and the running loss.
 * It draws on stderr only when that is a terminal, so logs and child processes stay clean.
 */
import cliProgress from 'cli-progress';

/** What a training loop reports after each step. */
export interface Progress {
  /** One step done, with the latest loss. */
  tick(loss: number): void;
  /** Removes nothing; ends the bar's line. */
  stop(): void;
}

/** A bar for `total` steps, labelled `label`. */
export function progressBar(total: number, label = 'train'): Progress {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} steps | loss {loss} | ETA {eta}s`,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { loss: '-' });
  let smoothed = Number.NaN;
  return {
    tick(loss: number) {
      smoothed = Number.isNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
      bar.increment({ loss: smoothed.toFixed(4) });
    },
    stop() {
      bar.stop();
    },
  };
}
