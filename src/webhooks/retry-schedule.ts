// When a failed delivery is tried again (pure, no I/O): exponential backoff with "equal jitter"
// (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015): after n failed attempts the wait
// is between half and all of min(cap, base × 2^(n-1)), so receivers coming back up are not hit by
// every sender at once.

export interface RetrySchedule {
  baseMs: number;
  capMs: number;
  /** Attempts in all, the first included; after the last failure the delivery is failed. */
  maxAttempts: number;
}

/** 15-30 s after the first failure, doubling to 3-6 h; the 12 attempts span 7 to 15 hours. */
export const DEFAULT_RETRY: RetrySchedule = { baseMs: 30_000, capMs: 6 * 3600_000, maxAttempts: 12 };

/** The wait after `failedAttempts` (>= 1) failures; `random` is uniform in [0, 1). */
export function retryDelayMs(failedAttempts: number, schedule: RetrySchedule, random: number): number {
  const ceiling = Math.min(schedule.capMs, schedule.baseMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(ceiling / 2 + random * (ceiling / 2));
}

/** The wait before the next attempt, or undefined when the attempts are used up. */
export function nextRetry(failedAttempts: number, schedule: RetrySchedule, random: number): number | undefined {
  return failedAttempts >= schedule.maxAttempts ? undefined : retryDelayMs(failedAttempts, schedule, random);
}
