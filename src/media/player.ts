// Plays prompts into a session, one 20 ms frame per tick of the shared pacing clock: recorded or
// synthesized speech, call-progress tones and silence, queued in order. A playlist started with
// `bargeIn` is cut short by a key press (`interrupt`), as an IVR menu expects; music on hold loops
// until stopped. The player is on the clock only while it has something to play.
import { FRAME_SAMPLES, type PacedTask, type PacingClock } from './pacing-clock.ts';
import { ToneGenerator, type ToneSpec } from './tones.ts';

export type PromptItem =
  | { kind: 'samples'; samples: Int16Array; label?: string }
  | { kind: 'tone'; spec: ToneSpec; /** stop a repeating tone after this long */ ms?: number }
  | { kind: 'silence'; ms: number };

export type PlayOutcome = 'finished' | 'interrupted' | 'stopped';

interface Playlist {
  items: PromptItem[];
  bargeIn: boolean;
  loop: boolean;
  done: (outcome: PlayOutcome) => void;
}

/** The position inside the item now playing. */
interface Cursor {
  item: PromptItem;
  offset: number;
  tone: ToneGenerator | undefined;
  frames: number;
}

export class Player implements PacedTask {
  readonly #clock: PacingClock;
  readonly #out: (frame: Int16Array) => void;
  readonly #frame = new Int16Array(FRAME_SAMPLES);
  #queue: Playlist[] = [];
  #index = 0;
  #cursor: Cursor | undefined;
  #unclock: (() => void) | undefined;
  framesPlayed = 0;

  constructor(clock: PacingClock, out: (frame: Int16Array) => void) {
    this.#clock = clock;
    this.#out = out;
  }

  get playing(): boolean {
    return this.#queue.length > 0;
  }

  /** Queues a playlist behind any other; resolves when it has played, was interrupted or stopped. */
  play(items: readonly PromptItem[], opts: { bargeIn?: boolean; loop?: boolean } = {}): Promise<PlayOutcome> {
    return new Promise((done) => {
      if (items.length === 0) { done('finished'); return; }
      this.#queue.push({ items: [...items], bargeIn: opts.bargeIn ?? false, loop: opts.loop ?? false, done });
      this.#unclock ??= this.#clock.add(this);
    });
  }

  /** A key press: ends the playlist now playing and the queued ones that allow barge-in. */
  interrupt(): boolean {
    const current = this.#queue[0];
    if (!current?.bargeIn) return false;
    const [cut, kept] = [this.#queue.filter((p) => p.bargeIn), this.#queue.filter((p) => !p.bargeIn)];
    this.#queue = kept;
    this.#reset();
    for (const p of cut) p.done('interrupted');
    return true;
  }

  /** Ends everything queued (hang-up, or the caller is taken off hold). */
  stop(): void {
    const all = this.#queue;
    this.#queue = [];
    this.#reset();
    for (const p of all) p.done('stopped');
  }

  #reset(): void {
    this.#index = 0;
    this.#cursor = undefined;
    if (this.#queue.length === 0) { this.#unclock?.(); this.#unclock = undefined; }
  }

  tick(): void {
    const frame = this.#frame;
    let filled = 0;
    while (filled < FRAME_SAMPLES) {
      const list = this.#queue[0];
      if (!list) break;
      const item = list.items[this.#index];
      if (!item) {
        if (list.loop) { this.#index = 0; continue; }
        this.#queue.shift();
        this.#index = 0;
        list.done('finished');
        continue;
      }
      if (this.#cursor?.item !== item) {
        this.#cursor = { item, offset: 0, tone: item.kind === 'tone' ? new ToneGenerator(item.spec) : undefined, frames: 0 };
      }
      const n = this.#fill(this.#cursor, frame, filled);
      filled += n;
      if (n === 0 || this.#finished(this.#cursor)) { this.#index++; this.#cursor = undefined; }
    }
    if (filled === 0) {
      if (this.#queue.length === 0) this.#reset();
      return;
    }
    frame.fill(0, filled);
    this.framesPlayed++;
    this.#out(frame);
  }

  /** Copies the next samples of an item into `frame` from `at` on; returns how many. */
  #fill(c: Cursor, frame: Int16Array, at: number): number {
    const item = c.item;
    const room = frame.length - at;
    if (item.kind === 'samples') {
      const n = Math.min(room, item.samples.length - c.offset);
      const src = item.samples;
      const from = c.offset;
      for (let i = 0; i < n; i++) frame[at + i] = src[from + i]!;
      c.offset += n;
      return n;
    }
    if (item.kind === 'silence') {
      const n = Math.max(0, Math.min(room, Math.round(item.ms * 8) - c.offset));
      frame.fill(0, at, at + n);
      c.offset += n;
      return n;
    }
    // Tones are generated a whole frame at a time.
    if (at > 0) {
      if (c.offset === 0) {
        const tmp = new Int16Array(FRAME_SAMPLES);
        const more = c.tone!.fill(tmp);
        frame.set(tmp.subarray(0, room), at);
        c.offset += room;
        return more ? room : 0;
      }
      const more = c.tone!.fill(frame.subarray(at));
      c.offset += room;
      c.frames++;
      return more ? room : 0;
    }
    const more = c.tone!.fill(frame);
    c.offset += room;
    c.frames++;
    return more ? room : 0;
  }

  #finished(c: Cursor): boolean {
    const item = c.item;
    if (item.kind === 'samples') return c.offset >= item.samples.length;
    if (item.kind === 'silence') return c.offset >= Math.round(item.ms * 8);
    return item.ms !== undefined && c.offset >= Math.round(item.ms * 8);
  }
}
