// Reads every interaction that arrived in a span through the interactions domain's list (newest
// first, at most 500 a page, `to` exclusive): each next page ends one millisecond after the last
// arrival seen, so contacts that arrived in the same millisecond across a page break are all read.
// Bulk reads (a rebuild) take whole records with their segments, oldest first, a page at a time
// after the last one read (by arrival, then id).
import type { Interaction } from '../interactions/index.ts';

/** The interaction records, as the interactions domain answers them. */
export interface InteractionSource {
  get(tenantId: string, id: string): Promise<Interaction>;
  exists(tenantId: string, id: string): Promise<boolean>;
  list(tenantId: string, q: { from?: string; to?: string; limit?: number }): Promise<Interaction[]>;
  /** Records with their segments that arrived in [from, to), oldest first (arrival, then id), `limit` after `after`. */
  arrivedBetween(tenantId: string, q: { from: string; to: string; limit: number; after?: { arrivedAt: string; id: string } | undefined }): Promise<Interaction[]>;
}

const PAGE = 500;

/** Visits each interaction (without segments) that arrived in [from, to), newest first. */
export async function scanInteractions(source: InteractionSource, tenantId: string, from: number, to: number, visit: (i: Interaction) => Promise<void>): Promise<void> {
  const fromIso = new Date(from).toISOString();
  let toIso = new Date(to).toISOString();
  let edge: string | undefined;
  const seenAtEdge = new Set<string>();
  for (;;) {
    const page = await source.list(tenantId, { from: fromIso, to: toIso, limit: PAGE });
    let fresh = 0;
    for (const i of page) {
      if (i.arrivedAt === edge && seenAtEdge.has(i.id)) continue;
      fresh++;
      await visit(i);
    }
    if (page.length < PAGE) return;
    if (fresh === 0) throw new Error(`more than ${PAGE} interactions arrived at ${edge}`);
    const last = page[page.length - 1]!.arrivedAt;
    if (last !== edge) seenAtEdge.clear();
    edge = last;
    for (const i of page) if (i.arrivedAt === last) seenAtEdge.add(i.id);
    toIso = new Date(Date.parse(last) + 1).toISOString();
  }
}

/** Visits every record (with its segments) that arrived in [from, to), oldest first, a page of `pageSize` at a time. */
export async function scanRecords(source: InteractionSource, tenantId: string, from: number, to: number, pageSize: number, visit: (page: Interaction[]) => Promise<void>): Promise<void> {
  const q = { from: new Date(from).toISOString(), to: new Date(to).toISOString(), limit: pageSize };
  let after: { arrivedAt: string; id: string } | undefined;
  for (;;) {
    const page = await source.arrivedBetween(tenantId, { ...q, after });
    if (page.length > 0) await visit(page);
    if (page.length < pageSize) return;
    const last = page[page.length - 1]!;
    after = { arrivedAt: last.arrivedAt, id: last.id };
  }
}
