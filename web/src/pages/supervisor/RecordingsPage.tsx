// Recordings: search recorded calls by day range, agent, queue, customer number and disposition,
// and play one in the browser (the server writes every playback to the audit trail).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { NoticeLine, useErrorText, type Notice } from '../../ui/common.tsx';
import { formatDuration } from '../agent/time.ts';
import './supervisor.css';

interface Hit {
  recordingId: string; interactionId: string; arrivedAt: string; answeredAt: string | null; endedAt: string | null; caller: string | null;
  direction: string; agentId: string | null; agentName: string | null; queueId: string | null; queueName: string | null; disposition: string | null; outcome: string | null;
}

const localMidnight = (date: string) => new Date(`${date}T00:00:00`).toISOString();
const dayAfter = (date: string) => { const d = new Date(`${date}T00:00:00`); d.setDate(d.getDate() + 1); return d.toISOString(); };
const today = () => { const d = new Date(); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`; };

export function RecordingsPage() {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const [filter, setFilter] = useState({ from: today(), to: today(), agentId: '', queueId: '', number: '', disposition: '' });
  const [agents, setAgents] = useState<{ agentId: string; displayName: string }[]>([]);
  const [queues, setQueues] = useState<{ id: string; name: string; settings: { dispositions?: string[] } }[]>([]);
  const [hits, setHits] = useState<Hit[]>();
  const [playing, setPlaying] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  useEffect(() => {
    api<{ items: { agentId: string; displayName: string }[] }>('GET', '/api/supervisor/agents').then((r) => setAgents(r.items), () => undefined);
    api<{ items: { id: string; name: string; settings: { dispositions?: string[] } }[] }>('GET', '/api/queues').then((r) => setQueues(r.items), () => undefined);
  }, []);
  const dispositions = [...new Set(queues.flatMap((q) => q.settings.dispositions ?? []))];

  const search = async () => {
    const q = new URLSearchParams();
    if (filter.from) q.set('from', localMidnight(filter.from));
    if (filter.to) q.set('to', dayAfter(filter.to));
    for (const k of ['agentId', 'queueId', 'disposition'] as const) if (filter[k]) q.set(k, filter[k]);
    if (filter.number.trim()) q.set('number', filter.number.replace(/[^\d+]/g, ''));
    try {
      setHits((await api<{ items: Hit[] }>('GET', `/api/recordings?${q.toString()}`)).items);
      setPlaying(null);
      setNotice(null);
    } catch (e) {
      setNotice({ kind: 'error', text: errorText(e) });
    }
  };

  return (
    <section className="sup" data-testid="recordings">
      <h1>{t('supervision.recordings.title')}</h1>
      <form className="card form inline" data-testid="recordings-form" onSubmit={(e) => { e.preventDefault(); void search(); }}>
        <label>{t('supervision.recordings.from')}<input type="date" name="from" value={filter.from} onChange={(e) => setFilter({ ...filter, from: e.target.value })} /></label>
        <label>{t('supervision.recordings.to')}<input type="date" name="to" value={filter.to} onChange={(e) => setFilter({ ...filter, to: e.target.value })} /></label>
        <label>{t('supervision.recordings.agent')}
          <select name="agentId" value={filter.agentId} onChange={(e) => setFilter({ ...filter, agentId: e.target.value })}>
            <option value="">{t('supervision.recordings.any')}</option>
            {agents.map((a) => <option key={a.agentId} value={a.agentId}>{a.displayName}</option>)}
          </select>
        </label>
        <label>{t('desk.queue')}
          <select name="queueId" value={filter.queueId} onChange={(e) => setFilter({ ...filter, queueId: e.target.value })}>
            <option value="">{t('supervision.recordings.any')}</option>
            {queues.map((q) => <option key={q.id} value={q.id}>{q.name}</option>)}
          </select>
        </label>
        <label>{t('supervision.recordings.number')}<input name="number" inputMode="tel" value={filter.number} onChange={(e) => setFilter({ ...filter, number: e.target.value })} /></label>
        <label>{t('desk.wrapUp.disposition')}
          <select name="disposition" value={filter.disposition} onChange={(e) => setFilter({ ...filter, disposition: e.target.value })}>
            <option value="">{t('supervision.recordings.any')}</option>
            {dispositions.map((d) => <option key={d} value={d}>{d}</option>)}
          </select>
        </label>
        <button type="submit" data-testid="recordings-search">{t('supervision.recordings.search')}</button>
      </form>
      <NoticeLine notice={notice} />
      {hits && (
        <table className="grid" data-testid="recordings-table">
          <thead>
            <tr>
              <th>{t('supervision.recordings.when')}</th><th>{t('desk.caller')}</th><th>{t('supervision.recordings.agent')}</th><th>{t('desk.queue')}</th>
              <th>{t('supervision.recordings.length')}</th><th>{t('desk.wrapUp.disposition')}</th><th>{t('supervision.recordings.listen')}</th>
            </tr>
          </thead>
          <tbody>
            {hits.length === 0 && <tr><td colSpan={7}>{t('supervision.recordings.none')}</td></tr>}
            {hits.map((h) => (
              <tr key={h.recordingId} data-testid={`recording-row-${h.interactionId}`}>
                <td>{new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(h.arrivedAt))}</td>
                <td className="mono">{h.caller ?? t('desk.anonymous')}</td>
                <td>{h.agentName ?? '—'}</td>
                <td>{h.queueName ?? '—'}</td>
                <td>{h.answeredAt && h.endedAt ? formatDuration(Date.parse(h.endedAt) - Date.parse(h.answeredAt)) : '—'}</td>
                <td>{h.disposition ?? '—'}</td>
                <td>
                  {playing === h.recordingId
                    ? <audio controls autoPlay data-testid="recording-audio" src={`/api/recordings/${encodeURIComponent(h.recordingId)}/audio?interactionId=${encodeURIComponent(h.interactionId)}`} />
                    : <button type="button" className="secondary" data-testid={`recording-play-${h.interactionId}`} onClick={() => setPlaying(h.recordingId)}>{t('supervision.recordings.play')}</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
