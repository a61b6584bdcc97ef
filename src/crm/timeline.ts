// The customer timeline: every domain that holds something about a customer (notes here; interactions,
// tickets, ...) implements TimelineSource; Customers.timeline merges them newest first (pure part here).
import { DomainError } from '../kernel/index.ts';

export interface TimelineEntry {
  /** ISO-8601 UTC. */
  at: string;
  /** 'note', 'interaction', 'ticket', ... */
  kind: string;
  id: string;
  summary: string;
  channel?: string;
  data?: Record<string, unknown>;
}

/**
 * A port other domains implement. `customerIds` holds the customer and every id merged into it; return
 * at most `limit` entries strictly older than `before` (when given), newest first, entries of the same
 * time by ascending id.
 */
export interface TimelineSource {
  entries(tenantId: string, customerIds: string[], opts: { before?: string; limit: number }): Promise<TimelineEntry[]>;
}

export interface TimelinePage {
  items: TimelineEntry[];
  /** Pass as `before` for the next page; null on the last page. */
  nextCursor: string | null;
}

/**
 * A page boundary. As text, `<ISO time>` means "older than that time" and `<ISO time>~<n>` means "no
 * newer than that time, after the first n entries at exactly that time" (those were on earlier pages),
 * so entries that share a millisecond are neither skipped nor repeated.
 */
export interface TimelineCursor {
  at: string;
  /** Entries at exactly `at` already seen; undefined: all of them. */
  seen: number | undefined;
}

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z)(?:~(\d{1,7}))?$/;

export function parseCursor(text: string, field = 'before'): TimelineCursor {
  const m = CURSOR.exec(text);
  const t = m ? Date.parse(m[1]!) : NaN;
  if (!m || Number.isNaN(t)) throw new DomainError('SB_VALIDATION', 400, `${field} must be an ISO-8601 UTC time or a cursor from a previous page`, { field });
  return { at: new Date(t).toISOString(), seen: m[2] === undefined ? undefined : Number(m[2]) };
}

export const formatCursor = (c: TimelineCursor): string => (c.seen === undefined ? c.at : `${c.at}~${c.seen}`);

/** What to ask each source for so that one page can be cut from their answers. */
export function sourceQuery(limit: number, cursor: TimelineCursor | undefined): { before?: string; limit: number } {
  if (!cursor) return { limit: limit + 1 };
  if (cursor.seen === undefined) return { before: cursor.at, limit: limit + 1 };
  return { before: new Date(Date.parse(cursor.at) + 1).toISOString(), limit: limit + cursor.seen + 1 };
}

/** Newest first; ties broken by kind, then id, so every page cut is the same. */
const compare = (a: TimelineEntry, b: TimelineEntry) =>
  a.at < b.at ? 1 : a.at > b.at ? -1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** Cuts one page from the sources' answers (each asked with `sourceQuery`). */
export function cutPage(answers: readonly TimelineEntry[][], limit: number, cursor: TimelineCursor | undefined): TimelinePage {
  const seenIds = new Set<string>();
  const all: TimelineEntry[] = [];
  for (const list of answers) {
    for (const e of list) {
      const t = Date.parse(e.at);
      const key = `${e.kind}\u0000${e.id}`;
      if (Number.isNaN(t) || seenIds.has(key)) continue;
      seenIds.add(key);
      all.push({ ...e, at: new Date(t).toISOString() });
    }
  }
  all.sort(compare);
  let rest = all;
  if (cursor) {
    let skip = cursor.seen ?? Infinity;
    rest = all.filter((e) => {
      if (e.at < cursor.at) return true;
      if (e.at > cursor.at) return false;
      return skip-- <= 0;
    });
  }
  const items = rest.slice(0, limit);
  const last = items.at(-1);
  if (rest.length <= limit || !last) return { items, nextCursor: null };
  let seen = items.filter((e) => e.at === last.at).length;
  if (cursor && cursor.at === last.at) seen += cursor.seen ?? 0;
  return { items, nextCursor: formatCursor({ at: last.at, seen }) };
}
