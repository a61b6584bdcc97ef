// IVR flows: the list (which version callers hear, which numbers answer with it), a new flow from
// a starting point, deletion, and the editor of the flow chosen.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Me, type User } from '../../../api.ts';
import { NoticeLine, useLoad, type Notice } from '../../../ui/common.tsx';
import { adminApi, type Calendar, type DialledNumber, type Flow, type Prompt, type Queue } from '../admin-api.ts';
import { Field, FormMessage, useAdminErrorText, useFormError } from '../admin-ui.tsx';
import { FlowEditor } from './FlowEditor.tsx';

const STARTS = ['hangup', 'menu'] as const;

function startingDocument(kind: (typeof STARTS)[number], queueId: string | undefined): Record<string, unknown> {
  if (kind === 'hangup') return { start: 'goodbye', defaultLanguage: 'en', nodes: { goodbye: { type: 'hangup', prompt: { say: { en: 'Goodbye.', cmn: '再见。' } } } } };
  return {
    start: 'welcome', defaultLanguage: 'en',
    nodes: {
      welcome: {
        type: 'menu', prompt: { say: { en: 'Welcome. For an agent, press 1.', cmn: '欢迎致电。人工服务请按1。' } },
        options: { 1: queueId ? 'agent' : 'goodbye' }, timeoutSeconds: 5, retries: 2, fallback: 'goodbye',
      },
      ...(queueId ? { agent: { type: 'queue', queueId, matchLanguage: true } } : {}),
      goodbye: { type: 'hangup', prompt: { say: { en: 'Goodbye.', cmn: '再见。' } } },
    },
  };
}

const FLOW_FIELDS = ['name', 'description', 'document'] as const;

export function FlowsPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const errorText = useAdminErrorText();
  const canWrite = me.permissions.includes('flows.manage');
  const flows = useLoad(() => adminApi<{ items: Flow[] }>('GET', '/api/flows'));
  const numbers = useLoad(() => adminApi<{ items: DialledNumber[] }>('GET', '/api/numbers'));
  const queues = useLoad(() => (me.permissions.includes('queues.read') ? adminApi<{ items: Queue[] }>('GET', '/api/queues') : Promise.resolve({ items: [] as Queue[] })));
  const calendars = useLoad(() => (me.permissions.includes('calendars.read') ? adminApi<{ items: Calendar[] }>('GET', '/api/calendars') : Promise.resolve({ items: [] as Calendar[] })));
  const prompts = useLoad(() => adminApi<{ items: Prompt[] }>('GET', '/api/prompts'));
  const users = useLoad(() => (me.permissions.includes('users.read') ? adminApi<{ items: User[] }>('GET', '/api/users') : Promise.resolve({ items: [] as User[] })));
  const [open, setOpen] = useState<Flow | null>(null);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [start, setStart] = useState<(typeof STARTS)[number]>('menu');
  const [notice, setNotice] = useState<Notice | null>(null);
  const err = useFormError(FLOW_FIELDS);

  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      const f = await adminApi<Flow>('POST', '/api/flows', { name: name.trim(), description: description.trim() || null, document: startingDocument(start, queues.data?.items[0]?.id) });
      setCreating(false);
      setName('');
      setDescription('');
      err.clear();
      setNotice({ kind: 'ok', text: t('admin.flows.created', { name: f.name }) });
      flows.reload();
      setOpen(f);
    } catch (ex) {
      err.set(ex);
    }
  };
  const remove = async (f: Flow) => {
    if (!confirm(t('admin.flows.deleteConfirm', { name: f.name }))) return;
    try {
      await adminApi('DELETE', `/api/flows/${f.id}`);
      if (open?.id === f.id) setOpen(null);
      setNotice({ kind: 'ok', text: t('admin.flows.deleted', { name: f.name }) });
      flows.reload();
    } catch (ex) {
      setNotice({ kind: 'error', text: errorText(ex) });
    }
  };

  return (
    <section className="admin-page">
      <div className="page-head">
        <h1>{t('admin.flows.title')}</h1>
        {canWrite && <button type="button" data-testid="new-flow" onClick={() => { setNotice(null); setCreating(true); }}>{t('admin.flows.new')}</button>}
      </div>
      <p className="admin-lead">{t('admin.flows.lead')}</p>
      <NoticeLine notice={notice ?? (flows.error ? { kind: 'error', text: errorText(flows.error) } : null)} />
      {creating && (
        <form className="card form" noValidate data-testid="flow-form" onSubmit={(e) => void create(e)} onKeyDown={(e) => { if (e.key === 'Escape') setCreating(false); }}>
          <h2>{t('admin.flows.new')}</h2>
          <div className="admin-grid-3">
            <Field label={t('admin.flows.name')} name="name" error={err.at('name')}>
              <input name="name" autoFocus value={name} onChange={(e) => setName(e.target.value)} />
            </Field>
            <Field label={t('admin.flows.description')} name="description" error={err.at('description')}>
              <input name="description" value={description} onChange={(e) => setDescription(e.target.value)} />
            </Field>
            <Field label={t('admin.flows.startFrom')} name="document" error={err.at('document')}>
              <select name="start" value={start} onChange={(e) => setStart(e.target.value as (typeof STARTS)[number])}>
                {STARTS.map((s) => <option key={s} value={s}>{t(`admin.flows.starts.${s}`)}</option>)}
              </select>
            </Field>
          </div>
          <FormMessage text={err.general} />
          <div className="buttons">
            <button type="submit" data-testid="create-flow">{t('admin.flows.create')}</button>
            <button type="button" className="secondary" onClick={() => setCreating(false)}>{t('common.cancel')}</button>
          </div>
        </form>
      )}
      <table className="grid" data-testid="flows-table">
        <thead>
          <tr><th>{t('admin.flows.name')}</th><th>{t('admin.flows.description')}</th><th>{t('admin.flows.published')}</th><th>{t('admin.flows.latest')}</th><th>{t('admin.flows.numbers')}</th><th>{t('common.actions')}</th></tr>
        </thead>
        <tbody>
          {flows.data?.items.length === 0 && <tr><td colSpan={6}>{t('admin.flows.none')}</td></tr>}
          {flows.data?.items.map((f) => (
            <tr key={f.id} data-testid={`flow-row-${f.name}`} className={open?.id === f.id ? 'admin-selected-row' : ''}>
              <td>{f.name}</td>
              <td>{f.description ?? ''}</td>
              <td data-testid={`flow-published-${f.name}`}>{f.publishedVersion === null ? t('admin.flows.draft') : t('admin.flows.versionN', { version: f.publishedVersion })}</td>
              <td>{t('admin.flows.versionN', { version: f.latestVersion })}</td>
              <td className="mono">{(numbers.data?.items ?? []).filter((n) => n.flowId === f.id).map((n) => n.number).join(', ') || '—'}</td>
              <td className="actions">
                <button type="button" data-testid={`open-flow-${f.name}`} onClick={() => { setNotice(null); setOpen(f); }}>{canWrite ? t('admin.flows.edit') : t('admin.flows.view')}</button>
                {canWrite && <button type="button" onClick={() => void remove(f)}>{t('teams.delete')}</button>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open && (
        <FlowEditor key={open.id} flow={open} canWrite={canWrite} queues={queues.data?.items ?? []} calendars={calendars.data?.items ?? []} prompts={prompts.data?.items ?? []}
          userName={(id) => users.data?.items.find((u) => u.id === id)?.displayName ?? id} onChanged={() => flows.reload()} onClose={() => setOpen(null)} />
      )}
    </section>
  );
}
