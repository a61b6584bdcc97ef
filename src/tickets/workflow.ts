// A ticket type's status workflow (pure): named statuses, each in one category, and the transitions
// allowed between them. A ticket starts in `initial` and moves only along a listed transition.
import { DomainError } from '../kernel/index.ts';

/** open: someone works on it; pending: waiting on the customer (SLA clocks pause); resolved; closed. */
export const StatusCategory = { Open: 'open', Pending: 'pending', Resolved: 'resolved', Closed: 'closed' } as const;
export type StatusCategory = (typeof StatusCategory)[keyof typeof StatusCategory];
export const STATUS_CATEGORIES: readonly StatusCategory[] = Object.values(StatusCategory);

export interface WorkflowStatus {
  /** Stable id of the status, e.g. `in_progress`. */
  key: string;
  name: string;
  category: StatusCategory;
}

export interface Transition {
  from: string;
  to: string;
}

export interface Workflow {
  initial: string;
  statuses: WorkflowStatus[];
  transitions: Transition[];
}

export const MAX_STATUSES = 30;
const KEY = /^[a-z][a-z0-9_]{0,39}$/;

const invalid = (field: string, message: string) => new DomainError('SB_VALIDATION', 400, `${field} ${message}`, { field });

/** Checks a workflow from outside (field names relative to `at`) and returns a clean copy. */
export function checkWorkflow(w: Workflow, at = 'workflow'): Workflow {
  if (w.statuses.length === 0 || w.statuses.length > MAX_STATUSES) throw invalid(`${at}.statuses`, `must hold 1 to ${MAX_STATUSES} statuses`);
  const keys = new Set<string>();
  const statuses = w.statuses.map((s, i) => {
    const f = `${at}.statuses.${i}`;
    if (!KEY.test(s.key)) throw invalid(`${f}.key`, 'must be lower-case letters, digits and _ (starting with a letter), at most 40');
    if (keys.has(s.key)) throw invalid(`${f}.key`, `'${s.key}' is defined twice`);
    keys.add(s.key);
    const name = s.name.trim();
    if (!name) throw invalid(`${f}.name`, 'must not be empty');
    if (!(STATUS_CATEGORIES as readonly string[]).includes(s.category)) throw invalid(`${f}.category`, `must be one of ${STATUS_CATEGORIES.join(', ')}`);
    return { key: s.key, name, category: s.category };
  });
  if (!keys.has(w.initial)) throw invalid(`${at}.initial`, `'${w.initial}' is not one of the statuses`);
  const seen = new Set<string>();
  const transitions = w.transitions.map((t, i) => {
    const f = `${at}.transitions.${i}`;
    if (!keys.has(t.from)) throw invalid(`${f}.from`, `'${t.from}' is not one of the statuses`);
    if (!keys.has(t.to)) throw invalid(`${f}.to`, `'${t.to}' is not one of the statuses`);
    if (t.from === t.to) throw invalid(`${f}.to`, 'must differ from its from');
    const pair = `${t.from}\u0000${t.to}`;
    if (seen.has(pair)) throw invalid(f, `${t.from} -> ${t.to} is listed twice`);
    seen.add(pair);
    return { from: t.from, to: t.to };
  });
  return { initial: w.initial, statuses, transitions };
}

export const statusOf = (w: Workflow, key: string): WorkflowStatus | undefined => w.statuses.find((s) => s.key === key);

/** The statuses a ticket in `from` may move to, in the workflow's order. */
export function allowedFrom(w: Workflow, from: string): string[] {
  const targets = new Set(w.transitions.filter((t) => t.from === from).map((t) => t.to));
  return w.statuses.filter((s) => targets.has(s.key)).map((s) => s.key);
}

/**
 * The status a ticket in `from` moves to. A status the workflow does not have is a 400; one it has but
 * that `from` does not lead to is a 409 with the allowed targets in `details.allowed`.
 */
export function checkTransition(w: Workflow, from: string, to: string): WorkflowStatus {
  const target = statusOf(w, to);
  const allowed = allowedFrom(w, from);
  if (!target) {
    throw new DomainError('SB_VALIDATION', 400, `status '${to}' is not a status of this ticket type`, { field: 'status', allowed });
  }
  if (!allowed.includes(to)) {
    throw new DomainError('SB_TICKETS_TRANSITION_FORBIDDEN', 409, `a ticket cannot go from ${from} to ${to}; allowed: ${allowed.join(', ') || 'none'}`, { from, to, allowed });
  }
  return target;
}

/**
 * The fewest transitions from `from` to a status of `category` (breadth-first over the transitions,
 * ties in the workflow's order): the statuses to pass through, the target last. Empty when `from` is
 * already in the category; null when no path leads there.
 */
export function pathTo(w: Workflow, from: string, category: StatusCategory): string[] | null {
  if (statusOf(w, from)?.category === category) return [];
  const previous = new Map<string, string>([[from, from]]);
  const frontier = [from];
  while (frontier.length > 0) {
    const at = frontier.shift()!;
    for (const next of allowedFrom(w, at)) {
      if (previous.has(next)) continue;
      previous.set(next, at);
      if (statusOf(w, next)?.category === category) {
        const path = [next];
        for (let s = at; s !== from; s = previous.get(s)!) path.unshift(s);
        return path;
      }
      frontier.push(next);
    }
  }
  return null;
}
