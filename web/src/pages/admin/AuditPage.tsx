// The workspace's hash-chained audit trail, newest first, with a chain check. The API pages by
// sequence number only, so the filters (action, actor, dates) apply to the entries loaded so far;
// "Older entries" loads the next page into the same view.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AuditEntry } from '../../api.ts';
import { formatTime, NoticeLine, type Notice } from '../../ui/common.tsx';
import { adminApi } from './admin-api.ts';
import { useAdminErrorText } from './admin-ui.tsx';

const PAGE = 100;

/** YYYY-MM-DD of an instant on the browser's clock, as date inputs give and take. */
const localDay = (iso: string) => {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const errorText = useAdminErrorText();
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [more, setMore] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [action, setAction] = useState('');
  const [actor, setActor] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');

  const load = async (before?: number) => {
    try {
      const q = before === undefined ? `?limit=${PAGE}` : `?limit=${PAGE}&before=${before}`;
      const page = await adminApi<{ items: AuditEntry[] }>('GET', `/api/audit${q}`);
      setEntries((prev) => (before === undefined ? page.items : [...prev, ...page.items]));
      setMore(page.items.length === PAGE);
    } catch (e) {
      setNotice({ kind: 'error', text: errorText(e) });
    }
  };
  useEffect(() => { void load(); }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const verify = async () => {
    try {
      const r = await adminApi<{ ok: boolean; checked: number; brokenAt: number | null }>('GET', '/api/audit/verify');
      setNotice(r.ok ? { kind: 'ok', text: t('audit.verified', { count: r.checked }) } : { kind: 'error', text: t('audit.broken', { seq: r.brokenAt }) });
    } catch (e) {
      setNotice({ kind: 'error', text: errorText(e) });
    }
  };

  const actions = useMemo(() => [...new Set(entries.map((e) => e.action))].sort(), [entries]);
  const who = actor.trim().toLowerCase();
  const shown = entries.filter((e) => (!action || e.action === action)
    && (!who || (e.actorName ?? e.actorId ?? '').toLowerCase().includes(who))
    && (!from || localDay(e.at) >= from) && (!to || localDay(e.at) <= to));
  const filtered = action !== '' || who !== '' || from !== '' || to !== '';

  return (
    <section className="admin-page">
      <div className="page-head">
        <h1>{t('audit.title')}</h1>
        <button type="button" data-testid="verify-audit" onClick={() => void verify()}>{t('audit.verify')}</button>
      </div>
      <NoticeLine notice={notice} />
      <form className="card form inline admin-filters" data-testid="audit-filters" onSubmit={(e) => e.preventDefault()}>
        <label>{t('audit.action')}
          <select name="action" value={action} onChange={(e) => setAction(e.target.value)}>
            <option value="">{t('admin.common.all')}</option>
            {actions.map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
        </label>
        <label>{t('audit.actor')}<input name="actor" type="search" value={actor} onChange={(e) => setActor(e.target.value)} /></label>
        <label>{t('admin.audit.from')}<input name="from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
        <label>{t('admin.audit.to')}<input name="to" type="date" value={to} onChange={(e) => setTo(e.target.value)} /></label>
        {filtered && <button type="button" className="secondary" onClick={() => { setAction(''); setActor(''); setFrom(''); setTo(''); }}>{t('admin.audit.clear')}</button>}
      </form>
      <p className="admin-hint" data-testid="audit-count">{t('admin.audit.shown', { shown: shown.length, loaded: entries.length })}</p>
      <table className="grid" data-testid="audit-table">
        <thead><tr><th>#</th><th>{t('audit.at')}</th><th>{t('audit.actor')}</th><th>{t('audit.action')}</th><th>{t('audit.target')}</th><th>{t('admin.audit.details')}</th><th>{t('audit.ip')}</th></tr></thead>
        <tbody>
          {shown.length === 0 && <tr><td colSpan={7}>{t('audit.none')}</td></tr>}
          {shown.map((e) => (
            <tr key={e.seq} data-testid="audit-row">
              <td>{e.seq}</td>
              <td>{formatTime(e.at, i18n.language)}</td>
              <td>{e.actorName ?? e.actorId ?? '—'}</td>
              <td className="mono">{e.action}</td>
              <td className="mono">{e.targetType ? `${e.targetType}:${e.targetId ?? ''}` : '—'}</td>
              <td className="mono admin-details">{Object.keys(e.details).length ? JSON.stringify(e.details) : ''}</td>
              <td className="mono">{e.ip ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more && <button type="button" className="secondary" onClick={() => void load(entries.at(-1)?.seq)}>{t('audit.more')}</button>}
    </section>
  );
}
