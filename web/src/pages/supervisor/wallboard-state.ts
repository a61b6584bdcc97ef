// The wallboard's figures as live messages change them (pure): GET /api/wallboard's shape, and a
// queue's new figures from a `wallboard.changed` message merged in.
import type { LiveMessage } from '../agent/desk-api.ts';

export interface WallboardQueue {
  queueId: string;
  name: string;
  waiting: number;
  longestWaitMs: number;
  agentsByState: Record<string, number>;
  today: { offered: number; answered: number; abandoned: number; shortAbandoned: number; serviceLevel: number | null; asaSeconds: number | null; ahtSeconds: number | null };
}
export interface WallboardAgent { agentId: string; displayName: string; state: string; reason: string | null; stateSince: string; contactId: string | null }
export interface Wallboard { queues: WallboardQueue[]; agents: WallboardAgent[] }

/** The agent states a queue card counts, in the order shown. */
export const BOARD_STATES = ['Available', 'Busy', 'AfterCallWork', 'NotReady', 'Offline'] as const;

/** A queue's or the whole board's new figures merged into the board. */
export function mergeWallboard(board: Wallboard | undefined, m: LiveMessage): Wallboard | undefined {
  const whole = m['wallboard'] as Wallboard | undefined;
  if (whole) return whole;
  const queue = m['queue'] as WallboardQueue | undefined;
  if (!board || !queue) return board;
  const known = board.queues.some((q) => q.queueId === queue.queueId);
  return { ...board, queues: known ? board.queues.map((q) => (q.queueId === queue.queueId ? queue : q)) : [...board.queues, queue] };
}
