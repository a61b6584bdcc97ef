// One 20 ms clock for every paced task in the process (players, recorders, mixers, event senders,
// RTCP): no timer per call. Frame n is due at start + n·20 ms on a monotonic clock, so the rate
// never drifts however late a single wake-up is; a wake-up that finds several frames due runs
// them back to back (up to `maxCatchUpFrames`, beyond which frames are skipped and counted).
import { performance } from 'node:perf_hooks';

export const FRAME_MS = 20;
/** Samples in one 20 ms frame at 8 kHz (RFC 3551 §4.5: G.711 default packetization). */
export const FRAME_SAMPLES = 160;

export interface PacedTask {
  /** Called once per frame, in the order tasks were added. `frame` counts from the clock's start. */
  tick(frame: number): void;
}

/** Where the clock reads time and sleeps; tests drive a manual one. */
export interface PacingTimer {
  /** Monotonic milliseconds. */
  now(): number;
  wake(fn: () => void, delayMs: number): { cancel(): void };
}

export const systemPacingTimer: PacingTimer = {
  now: () => performance.now(),
  wake(fn, delayMs) {
    const t = setTimeout(fn, Math.max(0, delayMs));
    return { cancel: () => clearTimeout(t) };
  },
};

export interface PacingStats {
  frames: number;
  /** Frames run more than 1 ms after their due time. */
  lateFrames: number;
  maxLatenessMs: number;
  skippedFrames: number;
}

export class PacingClock {
  readonly #timer: PacingTimer;
  readonly #maxCatchUp: number;
  readonly #onError: (err: unknown) => void;
  #tasks: PacedTask[] = [];
  #start = 0;
  #frame = 0;
  #pending: { cancel(): void } | undefined;
  readonly stats: PacingStats = { frames: 0, lateFrames: 0, maxLatenessMs: 0, skippedFrames: 0 };

  constructor(opts: { timer?: PacingTimer; maxCatchUpFrames?: number; onError?: (err: unknown) => void } = {}) {
    this.#timer = opts.timer ?? systemPacingTimer;
    this.#maxCatchUp = opts.maxCatchUpFrames ?? 5;
    this.#onError = opts.onError ?? (() => {});
  }

  /** The number of the frame that runs next. */
  get frame(): number {
    return this.#frame;
  }

  get taskCount(): number {
    return this.#tasks.length;
  }

  /** Adds a task from the next frame on; returns its removal. The clock sleeps while it has none. */
  add(task: PacedTask): () => void {
    this.#tasks = [...this.#tasks, task];
    if (!this.#pending) {
      // Restart the schedule from now: frames keep counting, due times start afresh.
      this.#start = this.#timer.now() - this.#frame * FRAME_MS;
      this.#schedule();
    }
    return () => {
      this.#tasks = this.#tasks.filter((t) => t !== task);
      if (this.#tasks.length === 0) this.stop();
    };
  }

  stop(): void {
    this.#pending?.cancel();
    this.#pending = undefined;
  }

  #due(frame: number): number {
    return this.#start + frame * FRAME_MS;
  }

  #schedule(): void {
    this.#pending = this.#timer.wake(() => this.#run(), this.#due(this.#frame) - this.#timer.now());
  }

  #run(): void {
    this.#pending = undefined;
    const now = this.#timer.now();
    let ran = 0;
    while (this.#due(this.#frame) <= now && this.#tasks.length > 0) {
      if (ran === this.#maxCatchUp) {
        // Too far behind (a blocked event loop): skip to the present rather than burst.
        const behind = Math.floor((now - this.#due(this.#frame)) / FRAME_MS) + 1;
        this.stats.skippedFrames += behind;
        this.#frame += behind;
        break;
      }
      const late = now - this.#due(this.#frame);
      if (late > 1) this.stats.lateFrames++;
      if (late > this.stats.maxLatenessMs) this.stats.maxLatenessMs = late;
      const frame = this.#frame++;
      this.stats.frames++;
      for (const task of this.#tasks) {
        try {
          task.tick(frame);
        } catch (err) {
          this.#onError(err);
        }
      }
      ran++;
    }
    if (this.#tasks.length > 0) this.#schedule();
  }
}

/** A timer for tests: time moves only through `advance`. */
export class ManualPacingTimer implements PacingTimer {
  #now = 0;
  #queue: { at: number; fn: () => void; live: boolean }[] = [];

  now(): number {
    return this.#now;
  }

  wake(fn: () => void, delayMs: number): { cancel(): void } {
    const entry = { at: this.#now + Math.max(0, delayMs), fn, live: true };
    this.#queue.push(entry);
    return { cancel: () => { entry.live = false; } };
  }

  /** Moves time forward, firing due wake-ups in order; `jitter` adds lateness to each wake-up. */
  advance(ms: number, jitter: () => number = () => 0): void {
    const target = this.#now + ms;
    for (;;) {
      this.#queue = this.#queue.filter((e) => e.live);
      this.#queue.sort((a, b) => a.at - b.at);
      const next = this.#queue[0];
      if (!next || next.at > target) break;
      this.#queue.shift();
      this.#now = Math.min(target, Math.max(this.#now, next.at + jitter()));
      next.fn();
    }
    this.#now = target;
  }
}
