// The workspace's hash-chained audit trail, newest first, with a chain check.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type AuditEntry } from '../api.ts';
import { formatTime, NoticeLine, useErrorText, type Notice } from '../ui/common.tsx';

const PAGE = 50;

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [more, setMore] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);

  const load = async (before?: number) => {
    try {
      const q = before === undefined ? `?limit=${PAGE}` : `?limit=${PAGE}&before=${before}`;
      const page = await api<{ items: AuditEntry[] }>('GET', `/api/audit${q}`);
      setEntries((prev) => (before === undefined ? page.items : [...prev, ...page.items]));
      setMore(page.items.length === PAGE);
    } catch (e) {
      setNotice({ kind: 'error', text: errorText(e) });
    }
  };
  useEffect(() => { void load(); }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const verify = async () => {
    try {
      const r = await api<{ ok: boolean; checked: number; brokenAt: number | null }>('GET', '/api/audit/verify');
      setNotice(r.ok ? { kind: 'ok', text: t('audit.verified', { count: r.checked }) } : { kind: 'error', text: t('audit.broken', { seq: r.brokenAt }) });
    } catch (e) {
      setNotice({ kind: 'error', text: errorText(e) });
    }
  };

  return (
    <section>
      <div className="page-head">
        <h1>{t('audit.title')}</h1>
        <button type="button" data-testid="verify-audit" onClick={() => void verify()}>{t('audit.verify')}</button>
      </div>
      <NoticeLine notice={notice} />
      <table className="grid" data-testid="audit-table">
        <thead><tr><th>#</th><th>{t('audit.at')}</th><th>{t('audit.actor')}</th><th>{t('audit.action')}</th><th>{t('audit.target')}</th><th>{t('audit.ip')}</th></tr></thead>
        <tbody>
          {entries.length === 0 && <tr><td colSpan={6}>{t('audit.none')}</td></tr>}
          {entries.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <td>{formatTime(e.at, i18n.language)}</td>
              <td>{e.actorName ?? e.actorId ?? '—'}</td>
              <td className="mono">{e.action}</td>
              <td className="mono">{e.targetType ? `${e.targetType}:${e.targetId ?? ''}` : '—'}</td>
              <td className="mono">{e.ip ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more && <button type="button" className="secondary" onClick={() => void load(entries.at(-1)?.seq)}>{t('audit.more')}</button>}
    </section>
  );
}
