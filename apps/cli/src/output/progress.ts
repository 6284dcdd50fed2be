import { SingleBar } from 'cli-progress';
import type { Metric } from '@mapnn/metrics';
import type { ProgressEvent, ProgressStream } from '@mapnn/train';
import { int, seconds } from './table.js';

export interface ProgressOptions {
  /** Draw a live bar (stdout is a terminal) or print one plain line per epoch. */
  tty: boolean;
  /** The streaming accuracy metric given to `fit`, read for the bar (classification). */
  accuracy?: Metric<unknown>;
  out?: NodeJS.WriteStream;
}

const fmtEta = (s: number | undefined) => (s === undefined || !Number.isFinite(s) ? '?' : s < 1 ? '<1s' : s < 90 ? `${Math.round(s)}s` : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`);

/** One line of epoch numbers: loss, accuracy and validation logs. */
export function epochLine(epoch: number, epochs: number, logs: Record<string, number>, secs: number, samplesPerSecond?: number): string {
  const parts = [`epoch ${String(epoch + 1).padStart(String(epochs).length)}/${epochs}`];
  for (const [k, v] of Object.entries(logs)) {
    parts.push(/acc/.test(k) ? `${k} ${(v * 100).toFixed(2)}%` : `${k} ${v.toFixed(4)}`);
  }
  if (samplesPerSecond) parts.push(`${int(samplesPerSecond)} samples/s`);
  parts.push(seconds(secs));
  return parts.join('  ');
}

/**
 * Shows training progress from @mapnn/train's ProgressStream: a cli-progress bar per epoch
 * (epoch, batch, loss, accuracy, throughput, ETA) on a terminal, plain lines otherwise.
 */
export class ProgressView {
  private bar: SingleBar | null = null;
  private epochs = 0;
  private batches = 0;
  private lastSpeed = 0;
  private unsubscribe: () => void;
  private readonly out: NodeJS.WriteStream;

  constructor(stream: ProgressStream, private readonly options: ProgressOptions) {
    this.out = options.out ?? process.stdout;
    this.unsubscribe = stream.subscribe((e) => this.on(e));
  }

  private accuracy(): string {
    const m = this.options.accuracy;
    if (!m) return '';
    try {
      const v = m.compute() as number;
      return Number.isFinite(v) ? ` | acc ${(v * 100).toFixed(1).padStart(5)}%` : '';
    } catch {
      return '';
    }
  }

  private on(e: ProgressEvent): void {
    switch (e.type) {
      case 'trainBegin':
        this.epochs = e.epochs;
        this.batches = e.batchesPerEpoch ?? 0;
        break;
      case 'epochBegin':
        this.epochs = e.epochs;
        if (this.options.tty) {
          this.bar = new SingleBar({
            format: `epoch {epoch}/${this.epochs} {bar} {value}/{total} | loss {loss}{acc} | {speed} samples/s | ETA {eta}`,
            barCompleteChar: '█',
            barIncompleteChar: '░',
            barsize: 24,
            hideCursor: true,
            stream: this.out,
            fps: 8,
          });
          this.bar.start(this.batches || 1, 0, { epoch: e.epoch + 1, loss: '…', acc: '', speed: '…', eta: '?' });
        }
        break;
      case 'batch': {
        this.lastSpeed = e.samplesPerSecond;
        if (!this.bar) break;
        const total = e.batchesPerEpoch ?? this.batches;
        const perBatch = e.etaSeconds !== undefined && total - e.batch - 1 > 0 ? e.etaSeconds / (total - e.batch - 1) : undefined;
        const left = perBatch !== undefined ? (e.etaSeconds ?? 0) + perBatch * total * (this.epochs - e.epoch - 1) : e.etaSeconds;
        this.bar.update(e.batch + 1, {
          loss: e.meanLoss.toFixed(4),
          acc: this.accuracy(),
          speed: int(e.samplesPerSecond),
          eta: fmtEta(left),
        });
        break;
      }
      case 'epochEnd': {
        if (this.bar) {
          this.bar.update(this.bar.getTotal(), { eta: '0s' });
          this.bar.stop();
          this.bar = null;
          const val = Object.entries(e.logs).filter(([k]) => k.startsWith('val_'));
          if (val.length) this.out.write(`  ${epochLine(e.epoch, this.epochs, Object.fromEntries(val), e.seconds).split('  ').slice(1).join('  ')}\n`);
        } else {
          this.out.write(`${epochLine(e.epoch, this.epochs, e.logs, e.seconds, this.lastSpeed)}\n`);
        }
        break;
      }
      case 'trainEnd':
        break;
    }
  }

  /** Stops drawing (e.g. on Ctrl-C) and detaches from the stream. */
  close(): void {
    if (this.bar) {
      this.bar.stop();
      this.bar = null;
    }
    this.unsubscribe();
  }
}
