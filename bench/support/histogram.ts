// A fixed-resolution histogram of durations in milliseconds (10 µs bins up to 2 s, one overflow
// bin), cheap enough to fill once per packet and small enough to send between processes.

const BIN_MS = 0.01;
const BINS = 200_000;

/** What crosses the IPC channel: only the bins that were hit. */
export interface HistogramData {
  bins: [number, number][];
  count: number;
  maxMs: number;
}

export class Histogram {
  readonly #bins = new Uint32Array(BINS + 1);
  count = 0;
  maxMs = 0;

  add(ms: number): void {
    const v = ms < 0 ? 0 : ms;
    const i = Math.floor(v / BIN_MS);
    this.#bins[i < BINS ? i : BINS]!++;
    this.count++;
    if (v > this.maxMs) this.maxMs = v;
  }

  merge(d: HistogramData): void {
    for (const [i, n] of d.bins) this.#bins[i]! += n;
    this.count += d.count;
    if (d.maxMs > this.maxMs) this.maxMs = d.maxMs;
  }

  /** The smallest value that `q` (0–1) of the samples do not exceed, to the bin's upper edge. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i <= BINS; i++) {
      seen += this.#bins[i]!;
      if (seen >= rank) return i === BINS ? this.maxMs : Math.min(this.maxMs, (i + 1) * BIN_MS);
    }
    return this.maxMs;
  }

  data(): HistogramData {
    const bins: [number, number][] = [];
    for (let i = 0; i <= BINS; i++) if (this.#bins[i]! > 0) bins.push([i, this.#bins[i]!]);
    return { bins, count: this.count, maxMs: this.maxMs };
  }
}
