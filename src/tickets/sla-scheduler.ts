// One timer on the clock for every ticket's SLA clocks: it is set for the earliest stored due instant
// (read from an index, so nothing is scanned), wakes the service then, and is set again for the next.
// Due instants live in the database, so a restarted service picks up where the last one stopped.
import type { Clock, Logger, TimerHandle } from '../kernel/index.ts';

/** Node's timers hold at most 2^31-1 ms; a later instant is reached in steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;
/** When tickets could not be processed, they are tried again this much later. */
export const RETRY_MS = 60_000;

export interface SlaSchedulerDeps {
  clock: Clock;
  log: Logger;
  /** The earliest instant any ticket needs attention, or null. */
  nextDue(): Promise<number | null>;
  /** Handles every ticket due by `now`. */
  process(now: number): Promise<void>;
}

export class SlaScheduler {
  readonly #deps: SlaSchedulerDeps;
  #timer: TimerHandle | undefined;
  #armedAt: number | null = null;
  #work: Promise<void> = Promise.resolve();
  #running = false;

  constructor(deps: SlaSchedulerDeps) {
    this.#deps = deps;
  }

  /** Arms the timer from the stored due instants (handling at once what fell due while stopped). */
  start(): Promise<void> {
    this.#running = true;
    this.#kick();
    return this.settled();
  }

  stop(): void {
    this.#running = false;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#armedAt = null;
  }

  /** A ticket's next instant is now `at`: wakes up earlier when needed. */
  notify(at: number | null): void {
    if (!this.#running || at === null) return;
    if (this.#armedAt === null || at < this.#armedAt) this.#arm(at);
  }

  /** Resolves when no run is in progress or queued. */
  async settled(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.#work;
      await seen;
    } while (seen !== this.#work);
  }

  #arm(at: number): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#armedAt = at;
    const delay = at - this.#deps.clock.now();
    if (delay <= 0) {
      this.#kick();
      return;
    }
    this.#timer = this.#deps.clock.setTimeout(() => {
      this.#timer = undefined;
      this.#armedAt = null;
      this.#kick();
    }, Math.min(delay, MAX_DELAY_MS));
  }

  #kick(): void {
    this.#work = this.#work.then(() => this.#run()).catch((err: unknown) => {
      this.#deps.log.error({ err }, 'SLA check failed');
      if (this.#running) this.#arm(this.#deps.clock.now() + RETRY_MS);
    });
  }

  async #run(): Promise<void> {
    if (!this.#running) return;
    const now = this.#deps.clock.now();
    await this.#deps.process(now);
    const next = await this.#deps.nextDue();
    if (!this.#running) return;
    if (next === null) {
      this.#timer?.cancel();
      this.#timer = undefined;
      this.#armedAt = null;
      return;
    }
    // Still due after processing: those tickets failed and are tried again later.
    this.#arm(next <= now ? now + RETRY_MS : next);
  }
}
