// The flow drawn as boxes (name, verb, what the caller hears in the current UI language) and
// labelled arrows for its branches, laid out by flow-graph.ts. A box is a button: clicking it or
// pressing Enter on it selects that node in the editor.
import { useTranslation } from 'react-i18next';
import { flowGraph, NODE_HEIGHT, NODE_WIDTH, summarise, type BranchLabel, type GraphEdge, type GraphNode, type NodeSummary } from './flow-graph.ts';

export interface GraphNames { queue(id: string): string; calendar(id: string): string; prompt(id: string): string }

/** Prompt languages to show first for each UI language (ISO 639-3, as flows name them). */
const SPOKEN: Record<string, readonly string[]> = { en: ['en', 'cmn', 'yue'], 'zh-CN': ['cmn', 'yue', 'en'], 'zh-TW': ['cmn', 'yue', 'en'] };

/** East Asian wide characters take two columns (UAX #11); the text is cut to fit `columns`. */
const wide = (c: string) => /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(c);
function clip(s: string, columns: number): string {
  let used = 0;
  const chars = [...s];
  for (let i = 0; i < chars.length; i++) {
    used += wide(chars[i]!) ? 2 : 1;
    if (used > columns) return `${chars.slice(0, Math.max(0, i - 1)).join('')}…`;
  }
  return s;
}

export function FlowGraph({ doc, selected, flagged, onSelect, names }: {
  doc: unknown; selected: string | undefined; flagged: ReadonlySet<string>; onSelect: (id: string) => void; names: GraphNames;
}) {
  const { t, i18n } = useTranslation();
  const g = flowGraph(doc);
  const nodes = (typeof doc === 'object' && doc !== null ? (doc as { nodes?: Record<string, unknown> }).nodes : undefined) ?? {};
  const at = new Map(g.nodes.map((n) => [n.id, n]));
  const languages = SPOKEN[i18n.language] ?? SPOKEN['en']!;

  const label = (l: BranchLabel) => (l.kind === 'key' ? t('admin.flows.edge.key', { key: l.key }) : l.kind === 'case' ? `= ${l.value}` : t(`admin.flows.edge.${l.name}`));
  const summary = (s: NodeSummary): string => {
    switch (s.kind) {
      case 'say': return `“${s.text}”`;
      case 'recording': return `♪ ${names.prompt(s.id)}`;
      case 'tone': return `♪ ${t(`admin.flows.tone.${s.tone}`, { defaultValue: s.tone })}`;
      case 'silence': return t('admin.flows.silence', { ms: s.ms });
      case 'language': return t(`admin.flows.language.${s.language}`, { defaultValue: s.language });
      case 'queue': return `→ ${names.queue(s.id)}`;
      case 'calendar': return names.calendar(s.id);
      case 'text': return s.text;
      case 'none': return '';
    }
  };

  if (g.nodes.length === 0) return <p className="admin-hint" data-testid="flow-graph-empty">{t('admin.flows.graphEmpty')}</p>;
  return (
    <svg className="admin-flow-graph" data-testid="flow-graph" viewBox={`0 0 ${g.width} ${g.height}`} width={g.width} role="group" aria-label={t('admin.flows.graph')}>
      <defs>
        <marker id="admin-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" className="admin-flow-arrowhead" />
        </marker>
      </defs>
      {g.edges.map((e, i) => <Edge key={i} e={e} from={at.get(e.from)} to={at.get(e.to)} text={label(e.label)} />)}
      {g.nodes.map((n) => (
        <Box key={n.id} n={n} start={n.id === g.start} selected={n.id === selected} flagged={flagged.has(n.id)} onSelect={onSelect}
          typeText={n.type === 'missing' ? t('admin.flows.missingNode') : t(`admin.flows.types.${n.type}`, { defaultValue: n.type })}
          detail={n.type === 'missing' ? '' : summary(summarise(nodes[n.id], languages))}
          startText={t('admin.flows.startNode')} />
      ))}
    </svg>
  );
}

function Edge({ e, from, to, text }: { e: GraphEdge; from: GraphNode | undefined; to: GraphNode | undefined; text: string }) {
  if (!from || !to) return null;
  let d: string;
  let lx: number;
  let ly: number;
  if (!e.back) {
    const x1 = from.x + NODE_WIDTH / 2; const y1 = from.y + NODE_HEIGHT;
    const x2 = to.x + NODE_WIDTH / 2; const y2 = to.y;
    const my = (y1 + y2) / 2;
    d = `M ${x1} ${y1} C ${x1} ${my}, ${x2} ${my}, ${x2} ${y2}`;
    lx = (x1 + x2) / 2; ly = my;
  } else {
    // A branch back up (a loop) or sideways: around the right-hand side of both boxes.
    const x1 = from.x + NODE_WIDTH; const y1 = from.y + NODE_HEIGHT / 2;
    const x2 = to.x + NODE_WIDTH; const y2 = to.y + NODE_HEIGHT / 2;
    const out = Math.max(x1, x2) + 36;
    d = e.from === e.to
      ? `M ${x1} ${y1 - 12} C ${out} ${y1 - 40}, ${out} ${y1 + 40}, ${x1} ${y1 + 12}`
      : `M ${x1} ${y1} C ${out} ${y1}, ${out} ${y2}, ${x2} ${y2}`;
    lx = out - 10; ly = (y1 + y2) / 2;
  }
  return (
    <g className={`admin-flow-edge${to.type === 'missing' ? ' admin-flow-edge-missing' : ''}`} data-testid={`flow-edge-${e.from}-${e.to}`}>
      <path d={d} markerEnd="url(#admin-arrow)" />
      <text x={lx} y={ly} textAnchor="middle" dominantBaseline="middle" className="admin-flow-edge-label">{text}</text>
    </g>
  );
}

function Box({ n, start, selected, flagged, onSelect, typeText, detail, startText }: {
  n: GraphNode; start: boolean; selected: boolean; flagged: boolean; onSelect: (id: string) => void; typeText: string; detail: string; startText: string;
}) {
  const classes = ['admin-flow-node', `admin-flow-type-${n.type}`, selected && 'admin-flow-selected', flagged && 'admin-flow-flagged', !n.reachable && 'admin-flow-unreached'].filter(Boolean).join(' ');
  const pick = () => { if (n.type !== 'missing') onSelect(n.id); };
  return (
    <g className={classes} transform={`translate(${n.x} ${n.y})`} data-testid={`flow-node-${n.id}`} data-type={n.type}
      role="button" tabIndex={n.type === 'missing' ? -1 : 0} aria-pressed={selected} aria-label={`${n.id}: ${typeText}${detail ? ` — ${detail}` : ''}`}
      onClick={pick} onKeyDown={(ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); pick(); } }}>
      <title>{`${n.id} (${typeText})${detail ? `\n${detail}` : ''}`}</title>
      <rect width={NODE_WIDTH} height={NODE_HEIGHT} rx={8} />
      <text x={10} y={19} className="admin-flow-node-id">{clip(n.id, start ? 14 : 22)}{start ? ` ▸ ${startText}` : ''}</text>
      <text x={10} y={37} className="admin-flow-node-type">{typeText}</text>
      <text x={10} y={55} className="admin-flow-node-detail">{clip(detail, 26)}</text>
    </g>
  );
}
