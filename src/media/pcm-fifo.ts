// A bounded first-in-first-out of 8 kHz samples between a network source (packets arrive when
// they arrive) and a paced consumer (one 20 ms frame per tick). Beyond `maxSamples` the oldest
// samples go, so a source whose clock runs fast cannot build up delay.
export class PcmFifo {
  readonly #buf: Int16Array;
  #read = 0;
  #size = 0;
  dropped = 0;
  underruns = 0;

  constructor(maxSamples = 1600) {
    this.#buf = new Int16Array(maxSamples);
  }

  get size(): number {
    return this.#size;
  }

  push(samples: Int16Array): void {
    const cap = this.#buf.length;
    for (let i = 0; i < samples.length; i++) {
      if (this.#size === cap) { this.#read = (this.#read + 1) % cap; this.#size--; this.dropped++; }
      this.#buf[(this.#read + this.#size) % cap] = samples[i]!;
      this.#size++;
    }
  }

  /** Fills `out` (silence where the source fell short); returns how many samples were real. */
  pull(out: Int16Array): number {
    const cap = this.#buf.length;
    const n = Math.min(out.length, this.#size);
    for (let i = 0; i < n; i++) out[i] = this.#buf[(this.#read + i) % cap]!;
    out.fill(0, n);
    this.#read = (this.#read + n) % cap;
    this.#size -= n;
    if (n < out.length) this.underruns++;
    return n;
  }

  clear(): void {
    this.#read = 0;
    this.#size = 0;
  }
}
