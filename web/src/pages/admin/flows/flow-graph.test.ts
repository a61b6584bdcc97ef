// The flow graph's layout and the text positions of JSON Pointers (pure; run with node --test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flowGraph, summarise } from './flow-graph.ts';
import { nodeAtOffset, nodeOfPointer, parseFlowText, pointerTokens, rangeOfPointer, setInText } from './flow-text.ts';

const doc = {
  start: 'menu', defaultLanguage: 'en',
  nodes: {
    menu: { type: 'menu', prompt: [{ say: { en: 'Press 1.' } }, { say: { cmn: '请按1。' } }], options: { 1: 'queue', 2: 'ghost' }, fallback: 'menu' },
    queue: { type: 'queue', queueId: 'q1' },
    orphan: { type: 'hangup' },
  },
};

test('layers are distances from the start; unreached nodes and missing names come last', () => {
  const g = flowGraph(doc);
  const layer = Object.fromEntries(g.nodes.map((n) => [n.id, n.layer]));
  assert.deepEqual(layer, { menu: 0, queue: 1, ghost: 1, orphan: 2 });
  assert.equal(g.nodes.find((n) => n.id === 'ghost')?.type, 'missing');
  assert.equal(g.nodes.find((n) => n.id === 'orphan')?.reachable, false);
  assert.deepEqual(g.edges.map((e) => [e.from, e.to, e.label, e.back]), [
    ['menu', 'queue', { kind: 'key', key: '1' }, false],
    ['menu', 'ghost', { kind: 'key', key: '2' }, false],
    ['menu', 'menu', { kind: 'named', name: 'fallback' }, true],
  ]);
  const [a, b] = [g.nodes.find((n) => n.id === 'queue')!, g.nodes.find((n) => n.id === 'ghost')!];
  assert.equal(a.y, b.y);
  assert.notEqual(a.x, b.x, 'nodes of a layer do not overlap');
});

test('a document that is not a flow yet draws nothing and does not throw', () => {
  for (const bad of [null, 3, [], { nodes: 'x' }, { start: 'a', nodes: { a: 'not a node' } }]) assert.doesNotThrow(() => flowGraph(bad));
  assert.deepEqual(flowGraph(null).nodes, []);
});

test('a box shows the prompt in the first preferred language that has one', () => {
  assert.deepEqual(summarise(doc.nodes.menu, ['cmn', 'en']), { kind: 'say', text: '请按1。' });
  assert.deepEqual(summarise(doc.nodes.menu, ['yue', 'en']), { kind: 'say', text: 'Press 1.' });
  assert.deepEqual(summarise(doc.nodes.queue, ['en']), { kind: 'queue', id: 'q1' });
});

test('pointers map to their place in the text (RFC 6901 escapes), missing members to their parent', () => {
  const text = JSON.stringify({ start: 'a', nodes: { 'a/b~c': { type: 'play', next: 'x' } } }, null, 2);
  assert.deepEqual(pointerTokens('/nodes/a~1b~0c/next'), ['nodes', 'a/b~c', 'next']);
  assert.equal(nodeOfPointer('/nodes/a~1b~0c/next'), 'a/b~c');
  const r = rangeOfPointer(text, '/nodes/a~1b~0c/next')!;
  assert.equal(text.slice(r.offset, r.offset + r.length), '"next": "x"');
  const parent = rangeOfPointer(text, '/nodes/a~1b~0c/prompt')!;
  assert.ok(text.slice(parent.offset, parent.offset + parent.length).startsWith('"a/b~c": {'));
  assert.equal(nodeAtOffset(text, text.indexOf('"play"')), 'a/b~c');
});

test('syntax errors carry their offset; inserting a node keeps the rest of the text', () => {
  const broken = parseFlowText('{ "start": "a", }');
  assert.equal(broken.ok, false);
  if (!broken.ok) assert.equal(broken.problems[0]?.message, 'PropertyNameExpected');
  const text = '{ "start":   "a",\n  "nodes": {\n    "a": { "type": "hangup" }\n  }\n}';
  const next = setInText(text, ['nodes', 'b'], { type: 'hangup' });
  assert.ok(next.startsWith('{ "start":   "a",\n'), 'text outside the enclosing object is untouched');
  assert.deepEqual((parseFlowText(next) as { ok: true; value: { nodes: object } }).value.nodes, { a: { type: 'hangup' }, b: { type: 'hangup' } });
});
