// One flow's editor: the JSON document as text, checked by the server as it changes (debounced)
// with every issue listed by its JSON Pointer beside the text and marked in it, the flow drawn as
// a graph (clicking a node selects it in the text), a palette of template nodes, the schema's
// fields for the selected node, versions, and publishing (a refusal lists its issues).
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseTree, findNodeAtLocation } from 'jsonc-parser';
import { formatTime, NoticeLine, type Notice } from '../../../ui/common.tsx';
import { AdminApiError, adminApi, type Calendar, type Flow, type FlowIssue, type FlowVersion, type Prompt, type Queue } from '../admin-api.ts';
import { useAdminErrorText } from '../admin-ui.tsx';
import { CodeText, type CodeTextHandle, type Mark } from './CodeText.tsx';
import { FlowGraph } from './FlowGraph.tsx';
import { lineColumn, nodeAtOffset, nodeOfPointer, parseFlowText, rangeOfPointer, setInText, type TextProblem } from './flow-text.ts';
import { freshId, NODE_TYPES, templateNode, type NodeType } from './templates.ts';

type Check =
  | { state: 'checking' }
  | { state: 'syntax'; problems: TextProblem[] }
  | { state: 'ok' }
  | { state: 'issues'; issues: FlowIssue[] }
  | { state: 'failed'; text: string };

interface SchemaNode { if?: { properties?: { type?: { const?: string } } }; then?: { required?: string[]; properties?: Record<string, unknown> } }
type FlowSchema = { properties?: { nodes?: { additionalProperties?: { allOf?: SchemaNode[] } } } };

const CHECK_DELAY_MS = 400;
const pretty = (doc: unknown) => `${JSON.stringify(doc, null, 2)}\n`;

export function FlowEditor({ flow, canWrite, queues, calendars, prompts, userName, onChanged, onClose }: {
  flow: Flow; canWrite: boolean; queues: Queue[]; calendars: Calendar[]; prompts: Prompt[]; userName: (id: string) => string;
  onChanged: (f: Flow) => void; onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const errorText = useAdminErrorText();
  const [meta, setMeta] = useState<Flow>(flow);
  const [version, setVersion] = useState<FlowVersion | null>(null);
  const [text, setText] = useState('');
  const [saved, setSaved] = useState('');
  const [check, setCheck] = useState<Check>({ state: 'checking' });
  const [publishIssues, setPublishIssues] = useState<FlowIssue[] | null>(null);
  const [selected, setSelected] = useState<string | undefined>();
  const [notice, setNotice] = useState<Notice | null>(null);
  const [schema, setSchema] = useState<FlowSchema | null>(null);
  const code = useRef<CodeTextHandle>(null);
  const seq = useRef(0);
  const dirty = version !== null && text !== saved;

  const loadVersion = async (n: number) => {
    const v = await adminApi<FlowVersion>('GET', `/api/flows/${flow.id}/versions/${n}`);
    setVersion(v);
    setText(pretty(v.document));
    setSaved(pretty(v.document));
    setPublishIssues(null);
  };
  useEffect(() => {
    adminApi<{ flow: Flow; latest: FlowVersion }>('GET', `/api/flows/${flow.id}`).then((r) => {
      setMeta(r.flow);
      setVersion(r.latest);
      setText(pretty(r.latest.document));
      setSaved(pretty(r.latest.document));
    }, (e: unknown) => setNotice({ kind: 'error', text: errorText(e) }));
    adminApi<FlowSchema>('GET', '/api/flows/schema').then(setSchema, () => undefined);
  }, [flow.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const parsed = useMemo(() => parseFlowText(text), [text]);

  // Every change is checked by the server once typing pauses; a stale answer is dropped.
  useEffect(() => {
    if (version === null) return undefined;
    if (!parsed.ok) { setCheck({ state: 'syntax', problems: parsed.problems }); return undefined; }
    setCheck({ state: 'checking' });
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      adminApi<{ ok: boolean; issues: FlowIssue[] }>('POST', '/api/flows/validate', { document: parsed.value }).then(
        (r) => { if (mine === seq.current) setCheck(r.ok ? { state: 'ok' } : { state: 'issues', issues: r.issues }); },
        (e: unknown) => { if (mine === seq.current) setCheck({ state: 'failed', text: errorText(e) }); },
      );
    }, CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [parsed, version]); // eslint-disable-line react-hooks/exhaustive-deps

  const issues = check.state === 'issues' ? check.issues : [];
  const flagged = useMemo(() => new Set([...issues, ...(publishIssues ?? [])].map((i) => nodeOfPointer(i.path)).filter((x): x is string => !!x)), [issues, publishIssues]);
  const doc = parsed.ok ? parsed.value : undefined;
  const [lastDoc, setLastDoc] = useState<unknown>(undefined);
  useEffect(() => { if (parsed.ok) setLastDoc(parsed.value); }, [parsed]);
  const ids = doc && typeof doc === 'object' && (doc as { nodes?: unknown }).nodes && typeof (doc as { nodes: unknown }).nodes === 'object'
    ? Object.keys((doc as { nodes: Record<string, unknown> }).nodes) : [];

  const nodeRange = (id: string) => rangeOfPointer(text, `/nodes/${id.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  const marks: Mark[] = [
    ...(selected && ids.includes(selected) ? [nodeRange(selected)].filter((r) => !!r).map((r) => ({ ...r!, className: 'admin-mark-node' })) : []),
    ...(check.state === 'syntax' ? check.problems.map((p) => ({ offset: p.offset, length: p.length, className: 'admin-mark-issue' })) : []),
    ...[...issues, ...(publishIssues ?? [])].map((i) => rangeOfPointer(text, i.path)).filter((r) => !!r).map((r) => ({ ...r!, className: 'admin-mark-issue' })),
  ];

  const selectNode = (id: string) => {
    setSelected(id);
    const root = parseTree(text);
    const value = root ? findNodeAtLocation(root, ['nodes', id]) : undefined;
    if (value) code.current?.reveal(value.offset + 1);
  };
  const showIssue = (path: string) => {
    const r = rangeOfPointer(text, path);
    const id = nodeOfPointer(path);
    if (id) setSelected(id);
    if (r) code.current?.select(r.offset, r.length);
  };

  const save = async () => {
    if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
      setNotice({ kind: 'error', text: t('admin.flows.cannotSave') });
      return;
    }
    try {
      const v = await adminApi<FlowVersion>('POST', `/api/flows/${flow.id}/versions`, { document: parsed.value });
      setVersion(v);
      setSaved(text);
      setPublishIssues(null);
      const f = { ...meta, latestVersion: v.version };
      setMeta(f);
      onChanged(f);
      setNotice({ kind: 'ok', text: v.issues.length ? t('admin.flows.savedWithIssues', { version: v.version, count: v.issues.length }) : t('admin.flows.saved', { version: v.version }) });
    } catch (e) {
      setNotice({ kind: 'error', text: errorText(e) });
    }
  };
  const publish = async () => {
    if (!version) return;
    try {
      const f = await adminApi<Flow>('POST', `/api/flows/${flow.id}/publish`, { version: version.version });
      setMeta(f);
      onChanged(f);
      setPublishIssues(null);
      setNotice({ kind: 'ok', text: t('admin.flows.publishedNotice', { version: version.version }) });
    } catch (e) {
      if (e instanceof AdminApiError && e.code === 'SB_IVR_FLOW_INVALID') setPublishIssues(e.issues);
      setNotice({ kind: 'error', text: errorText(e) });
    }
  };
  const pickVersion = async (n: number) => {
    if (dirty && !confirm(t('admin.flows.discardConfirm'))) return;
    try { await loadVersion(n); } catch (e) { setNotice({ kind: 'error', text: errorText(e) }); }
  };
  const insert = (type: NodeType) => {
    if (!parsed.ok || typeof doc !== 'object' || doc === null || Array.isArray(doc)) { setNotice({ kind: 'error', text: t('admin.flows.cannotInsert') }); return; }
    const id = freshId(type, ids);
    const nodes = (doc as { nodes?: Record<string, { type?: string }> }).nodes ?? {};
    const target = ids.find((x) => nodes[x]?.type === 'hangup') ?? (doc as { start?: string }).start ?? id;
    const next = setInText(text, ['nodes', id], templateNode(type, { target, queueId: queues[0]?.id ?? '', calendarId: calendars[0]?.id ?? '' }));
    setText(next);
    setSelected(id);
    setNotice({ kind: 'ok', text: t('admin.flows.inserted', { id }) });
  };
  const format = () => { if (parsed.ok) setText(pretty(parsed.value)); };

  const names = {
    queue: (id: string) => queues.find((q) => q.id === id)?.name ?? id,
    calendar: (id: string) => calendars.find((c) => c.id === id)?.name ?? id,
    prompt: (id: string) => prompts.find((p) => p.id === id)?.name ?? id,
  };
  const selectedType = selected && doc ? ((doc as { nodes?: Record<string, { type?: unknown }> }).nodes?.[selected]?.type) : undefined;
  const rule = typeof selectedType === 'string' ? schema?.properties?.nodes?.additionalProperties?.allOf?.find((s) => s.if?.properties?.type?.const === selectedType)?.then : undefined;
  const versions = Array.from({ length: meta.latestVersion }, (_, i) => meta.latestVersion - i);

  return (
    <section className="card admin-flow-editor" data-testid="flow-editor" aria-label={t('admin.flows.editorTitle', { name: meta.name })}>
      <div className="page-head">
        <h2>{t('admin.flows.editorTitle', { name: meta.name })}</h2>
        <button type="button" className="secondary" onClick={onClose}>{t('common.close')}</button>
      </div>
      <div className="admin-flow-toolbar">
        <label className="admin-inline-label">{t('admin.flows.version')}
          <select data-testid="version-select" value={version?.version ?? ''} onChange={(e) => void pickVersion(Number(e.target.value))}>
            {versions.map((n) => (
              <option key={n} value={n}>{t('admin.flows.versionN', { version: n })}{n === meta.publishedVersion ? ` · ${t('admin.flows.live')}` : ''}</option>
            ))}
          </select>
        </label>
        {version && (
          <span className="admin-hint">
            {version.createdBy
              ? t('admin.flows.versionMeta', { at: formatTime(version.createdAt, i18n.language), by: userName(version.createdBy) })
              : t('admin.flows.versionSaved', { at: formatTime(version.createdAt, i18n.language) })}
          </span>
        )}
        <span className={`admin-flow-status admin-flow-status-${check.state}`} data-testid="flow-status" role="status">
          {check.state === 'checking' ? t('admin.flows.checking') : check.state === 'ok' ? t('admin.flows.valid')
            : check.state === 'syntax' ? t('admin.flows.syntaxErrors', { count: check.problems.length })
              : check.state === 'issues' ? t('admin.flows.issueCount', { count: check.issues.length }) : check.text}
        </span>
        {canWrite && (
          <span className="buttons">
            <button type="button" className="secondary" onClick={format} disabled={!parsed.ok}>{t('admin.flows.format')}</button>
            <button type="button" data-testid="save-version" onClick={() => void save()} disabled={!dirty}>{t('admin.flows.saveVersion')}</button>
            <button type="button" data-testid="publish-flow" onClick={() => void publish()} disabled={dirty || !version} title={dirty ? t('admin.flows.saveFirst') : undefined}>
              {t('admin.flows.publishVersion', { version: version?.version ?? '' })}
            </button>
          </span>
        )}
      </div>
      <p className="admin-hint">{t('admin.flows.keys')}</p>
      <NoticeLine notice={notice} />
      <div className="admin-flow-columns">
        <div className="admin-flow-text">
          <CodeText ref={code} value={text} onChange={setText} marks={marks} label={t('admin.flows.document')} readOnly={!canWrite}
            onCaret={(offset) => { const id = nodeAtOffset(text, offset); if (id && ids.includes(id)) setSelected(id); }}
            onKeyDown={(e) => { if ((e.ctrlKey || e.metaKey) && e.key === 's') { e.preventDefault(); if (dirty) void save(); } }} />
          {canWrite && (
            <div className="admin-flow-palette" role="group" aria-label={t('admin.flows.palette')}>
              <span className="admin-field-label">{t('admin.flows.palette')}</span>
              {NODE_TYPES.map((type) => (
                <button key={type} type="button" className="secondary" data-testid={`palette-${type}`} title={t(`admin.flows.typeHelp.${type}`)} onClick={() => insert(type)}>
                  + {t(`admin.flows.types.${type}`)}
                </button>
              ))}
            </div>
          )}
        </div>
        <aside className="admin-flow-side">
          {publishIssues && (
            <div className="admin-flow-issues admin-flow-refused" data-testid="publish-issues">
              <h3>{t('admin.flows.publishRefused')}</h3>
              <IssueList issues={publishIssues} text={text} onPick={showIssue} />
            </div>
          )}
          <div className="admin-flow-issues" data-testid="flow-issues">
            <h3>{t('admin.flows.issues')}</h3>
            {check.state === 'ok' && <p className="admin-ok">{t('admin.flows.noIssues')}</p>}
            {check.state === 'syntax' && (
              <ul>
                {check.problems.map((p, i) => {
                  const at = lineColumn(text, p.offset);
                  return (
                    <li key={i} data-testid="flow-issue" data-path="">
                      <button type="button" className="admin-issue" onClick={() => code.current?.select(p.offset, p.length)}>
                        <span className="mono">{t('admin.flows.lineColumn', at)}</span> {t(`admin.flows.syntax.${p.message}`, { defaultValue: p.message })}
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
            {check.state === 'issues' && <IssueList issues={check.issues} text={text} onPick={showIssue} />}
          </div>
          <div className="admin-flow-hints" data-testid="flow-hints">
            <h3>{selected ? t('admin.flows.nodeTitle', { id: selected }) : t('admin.flows.hintsTitle')}</h3>
            {rule ? (
              <>
                <p>{t(`admin.flows.typeHelp.${String(selectedType)}`, { defaultValue: '' })}</p>
                <p><strong>{t('admin.flows.required')}</strong> <span className="mono">{(rule.required ?? []).join(', ')}</span></p>
                <p><strong>{t('admin.flows.optional')}</strong> <span className="mono">{Object.keys(rule.properties ?? {}).filter((k) => !(rule.required ?? []).includes(k)).join(', ') || '—'}</span></p>
              </>
            ) : <p>{t('admin.flows.hints')}</p>}
          </div>
        </aside>
      </div>
      <h3>{t('admin.flows.graph')}</h3>
      {!parsed.ok && lastDoc !== undefined && <p className="admin-hint">{t('admin.flows.graphStale')}</p>}
      <div className="admin-flow-graph-wrap">
        <FlowGraph doc={doc ?? lastDoc} selected={selected} flagged={flagged} onSelect={selectNode} names={names} />
      </div>
    </section>
  );
}

function IssueList({ issues, text, onPick }: { issues: FlowIssue[]; text: string; onPick: (path: string) => void }) {
  const { t } = useTranslation();
  return (
    <ul>
      {issues.map((i, n) => {
        const r = rangeOfPointer(text, i.path);
        const at = r ? lineColumn(text, r.offset) : undefined;
        return (
          <li key={n} data-testid="flow-issue" data-path={i.path}>
            <button type="button" className="admin-issue" onClick={() => onPick(i.path)}>
              <code className="admin-pointer">{i.path}</code> {i.message}
              {at && <span className="admin-hint"> · {t('admin.flows.lineColumn', at)}</span>}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
