// The flow as a graph to draw (pure): nodes, the branches between them (labelled as the document
// names them), and a layered layout: a node's layer is its distance from the start along
// branches (breadth-first); nodes no branch reaches go in a last layer, and a branch to a name
// no node has ends at a "missing" box. Tolerates documents that are not valid yet.

export interface GraphNode {
  id: string;
  /** The verb, or 'missing' for a name a branch points to that no node has. */
  type: string;
  reachable: boolean;
  layer: number;
  x: number;
  y: number;
}

/** What a branch is: `next`, `fallback`, `open`, `closed`, `default`, a menu key or a case value. */
export type BranchLabel = { kind: 'key'; key: string } | { kind: 'case'; value: string } | { kind: 'named'; name: string };

export interface GraphEdge { from: string; to: string; label: BranchLabel; back: boolean }

export interface FlowGraph { nodes: GraphNode[]; edges: GraphEdge[]; width: number; height: number; start: string | undefined }

export const NODE_WIDTH = 184;
export const NODE_HEIGHT = 66;
const GAP_X = 28;
const GAP_Y = 58;
const MARGIN = 16;

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The branches of one node, in the order the document's schema lists them. */
export function branches(node: Loose): { to: string; label: BranchLabel }[] {
  const out: { to: string; label: BranchLabel }[] = [];
  const named = (name: string) => { const to = str(node[name]); if (to !== undefined) out.push({ to, label: { kind: 'named', name } }); };
  switch (node['type']) {
    case 'menu':
      if (isObject(node['options'])) for (const [key, to] of Object.entries(node['options'])) if (typeof to === 'string') out.push({ to, label: { kind: 'key', key } });
      named('fallback');
      break;
    case 'branch':
      if (isObject(node['cases'])) for (const [value, to] of Object.entries(node['cases'])) if (typeof to === 'string') out.push({ to, label: { kind: 'case', value } });
      named('default');
      break;
    case 'businessHours': named('open'); named('closed'); break;
    default: named('next'); named('fallback');
  }
  return out;
}

export function flowGraph(doc: unknown): FlowGraph {
  const nodes = isObject(doc) && isObject(doc['nodes']) ? doc['nodes'] : {};
  const start = isObject(doc) ? str(doc['start']) : undefined;
  const ids = Object.keys(nodes);
  const edges: GraphEdge[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const n = nodes[id];
    if (!isObject(n)) continue;
    for (const b of branches(n)) {
      edges.push({ from: id, to: b.to, label: b.label, back: false });
      if (!(b.to in nodes) && !missing.includes(b.to)) missing.push(b.to);
    }
  }
  if (start !== undefined && !(start in nodes) && !missing.includes(start)) missing.push(start);

  // Breadth-first from the start: layer = distance; order within a layer = order of discovery.
  const layer = new Map<string, number>();
  const order: string[] = [];
  if (start !== undefined) {
    layer.set(start, 0);
    order.push(start);
    for (let i = 0; i < order.length; i++) {
      const id = order[i]!;
      for (const e of edges) {
        if (e.from === id && !layer.has(e.to)) {
          layer.set(e.to, layer.get(id)! + 1);
          order.push(e.to);
        }
      }
    }
  }
  const deepest = Math.max(-1, ...layer.values());
  const unreached = [...ids, ...missing].filter((id) => !layer.has(id));
  for (const id of unreached) layer.set(id, deepest + 1);

  const layers: string[][] = [];
  for (const id of [...order, ...unreached]) (layers[layer.get(id)!] ??= []).push(id);
  const widest = Math.max(1, ...layers.map((l) => l.length));
  const width = MARGIN * 2 + widest * NODE_WIDTH + (widest - 1) * GAP_X;
  const placed: GraphNode[] = [];
  layers.forEach((members, li) => {
    const rowWidth = members.length * NODE_WIDTH + (members.length - 1) * GAP_X;
    const left = (width - rowWidth) / 2;
    members.forEach((id, i) => {
      const n = nodes[id];
      placed.push({
        id, type: id in nodes ? (isObject(n) ? str(n['type']) ?? '?' : '?') : 'missing', reachable: order.includes(id),
        layer: li, x: left + i * (NODE_WIDTH + GAP_X), y: MARGIN + li * (NODE_HEIGHT + GAP_Y),
      });
    });
  });
  for (const e of edges) e.back = (layer.get(e.to) ?? 0) <= (layer.get(e.from) ?? 0);
  return { nodes: placed, edges, width, height: MARGIN * 2 + layers.length * NODE_HEIGHT + Math.max(0, layers.length - 1) * GAP_Y, start };
}

/** What a node's box says under its name: its first prompt in the preferred languages, or its target. */
export type NodeSummary =
  | { kind: 'say'; text: string }
  | { kind: 'recording'; id: string }
  | { kind: 'tone'; tone: string }
  | { kind: 'silence'; ms: number }
  | { kind: 'language'; language: string }
  | { kind: 'queue'; id: string }
  | { kind: 'calendar'; id: string }
  | { kind: 'text'; text: string }
  | { kind: 'none' };

function firstPrompt(p: unknown): Loose | undefined {
  if (Array.isArray(p)) return p.find(isObject);
  return isObject(p) ? p : undefined;
}

export function summarise(node: unknown, languages: readonly string[]): NodeSummary {
  if (!isObject(node)) return { kind: 'none' };
  const prompts = Array.isArray(node['prompt']) ? node['prompt'].filter(isObject) : firstPrompt(node['prompt']) ? [firstPrompt(node['prompt'])!] : [];
  // The first prompt that speaks one of the preferred languages, else the first prompt.
  for (const lang of languages) {
    for (const p of prompts) {
      const say = p['say'];
      if (isObject(say) && typeof say[lang] === 'string') return { kind: 'say', text: say[lang] };
    }
  }
  const p = prompts[0];
  if (p) {
    if (isObject(p['say'])) { const any = Object.values(p['say']).find((v) => typeof v === 'string'); if (typeof any === 'string') return { kind: 'say', text: any }; }
    const rec = p['recording'];
    if (typeof rec === 'string') return { kind: 'recording', id: rec };
    if (isObject(rec)) { const id = languages.map((l) => rec[l]).find((v) => typeof v === 'string') ?? Object.values(rec).find((v) => typeof v === 'string'); if (typeof id === 'string') return { kind: 'recording', id }; }
    if (typeof p['tone'] === 'string') return { kind: 'tone', tone: p['tone'] };
    if (typeof p['silenceMs'] === 'number') return { kind: 'silence', ms: p['silenceMs'] };
  }
  switch (node['type']) {
    case 'setLanguage': return typeof node['language'] === 'string' ? { kind: 'language', language: node['language'] } : { kind: 'none' };
    case 'queue': case 'callback': return typeof node['queueId'] === 'string' ? { kind: 'queue', id: node['queueId'] } : { kind: 'none' };
    case 'businessHours': return typeof node['calendarId'] === 'string' ? { kind: 'calendar', id: node['calendarId'] } : { kind: 'none' };
    case 'transfer': {
      const t = node['target'];
      if (isObject(t) && typeof t['queue'] === 'string') return { kind: 'queue', id: t['queue'] };
      if (isObject(t)) { const v = t['extension'] ?? t['number']; if (typeof v === 'string') return { kind: 'text', text: v }; }
      return { kind: 'none' };
    }
    case 'httpLookup': return typeof node['url'] === 'string' ? { kind: 'text', text: node['url'] } : { kind: 'none' };
    case 'gather': case 'branch': return typeof node['variable'] === 'string' ? { kind: 'text', text: `{{${node['variable']}}}` } : { kind: 'none' };
    case 'setVariables': return isObject(node['values']) ? { kind: 'text', text: Object.keys(node['values']).join(', ') } : { kind: 'none' };
    default: return { kind: 'none' };
  }
}
