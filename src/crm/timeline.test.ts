import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cutPage, parseCursor, sourceQuery, type TimelineEntry } from './timeline.ts';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const e = (kind: string, id: string, s: number): TimelineEntry => ({ at: at(s), kind, id, summary: `${kind} ${id}` });

/** A source over a fixed list, answering as the port says: older than `before`, newest first, ties by id. */
const answer = (list: TimelineEntry[], q: { before?: string; limit: number }) =>
  list.filter((x) => q.before === undefined || x.at < q.before)
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? -1 : 1))
    .slice(0, q.limit);

function pageAll(sources: TimelineEntry[][], limit: number): TimelineEntry[][] {
  const pages: TimelineEntry[][] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    const c = cursor === undefined ? undefined : parseCursor(cursor);
    const q = sourceQuery(limit, c);
    const page = cutPage(sources.map((s) => answer(s, q)), limit, c);
    pages.push(page.items);
    if (!page.nextCursor) return pages;
    cursor = page.nextCursor;
  }
  throw new Error('did not end');
}

describe('timeline paging', () => {
  test('two sources merge newest first and every entry appears exactly once', () => {
    const notes = [e('note', 'n1', 1), e('note', 'n2', 5), e('note', 'n3', 9)];
    const calls = [e('interaction', 'c1', 2), e('interaction', 'c2', 5), e('interaction', 'c3', 7), e('interaction', 'c4', 10)];
    const pages = pageAll([notes, calls], 2);
    assert.deepEqual(pages.map((p) => p.map((x) => x.id)), [['c4', 'n3'], ['c3', 'c2'], ['n2', 'c1'], ['n1']]);
  });

  test('entries sharing a millisecond across a page boundary are neither skipped nor repeated', () => {
    const same = Array.from({ length: 7 }, (_, i) => e('note', `n${i}`, 3));
    const other = [e('ticket', 't1', 3), e('ticket', 't0', 4), e('ticket', 't2', 1)];
    for (const limit of [1, 2, 3, 4, 20]) {
      const ids = pageAll([same, other], limit).flat().map((x) => x.id);
      assert.deepEqual([...ids].sort(), [...same, ...other].map((x) => x.id).sort(), `limit ${limit}`);
      assert.equal(ids[0], 't0');
      assert.equal(ids.at(-1), 't2');
    }
  });

  test('a plain ISO time as `before` means strictly older', () => {
    const c = parseCursor(at(5));
    const page = cutPage([answer([e('note', 'a', 5), e('note', 'b', 4)], sourceQuery(10, c))], 10, c);
    assert.deepEqual(page.items.map((x) => x.id), ['b']);
    assert.equal(page.nextCursor, null);
  });

  test('cursors that are not ISO times are refused', () => {
    assert.throws(() => parseCursor('yesterday'), /before must be an ISO-8601/);
    assert.throws(() => parseCursor('2026-13-45T00:00:00Z'), /before/);
  });

  test('an entry listed by two sources appears once; times are normalized to ISO with milliseconds', () => {
    const page = cutPage([[{ at: '2026-01-01T00:00:05Z', kind: 'note', id: 'x', summary: 'a' }], [{ at: '2026-01-01T00:00:05.000Z', kind: 'note', id: 'x', summary: 'a' }]], 5, undefined);
    assert.deepEqual(page.items.map((x) => x.at), ['2026-01-01T00:00:05.000Z']);
  });
});
