// My history: the contacts I was connected to today, with their outcome, my disposition and notes,
// and the recordings of my own calls (each playback is audited). A contact that closes while the
// page is open refreshes it; so does the live socket coming back.
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { NoticeLine, useErrorText, type Notice } from '../../ui/common.tsx';
import type { HistoryEntry, LiveMessage } from './desk-api.ts';
import { useLiveSocket } from './live-socket.ts';
import { formatClock, formatDuration } from './time.ts';
import './desk.css';

export function HistoryPage() {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const [items, setItems] = useState<HistoryEntry[]>();
  const [notice, setNotice] = useState<Notice | null>(null);
  const [playing, setPlaying] = useState<string | null>(null);
  const load = useCallback(() => {
    api<{ items: HistoryEntry[] }>('GET', '/api/desktop/history').then((r) => { setItems(r.items); setNotice(null); }, (e: unknown) => setNotice({ kind: 'error', text: errorText(e) }));
  }, [errorText]);
  const socket = useLiveSocket(useCallback((m: LiveMessage) => { if (m.type === 'interaction.closed') load(); }, [load]), load);

  return (
    <section className="desk" data-testid="history">
      <div className="page-head">
        <h1>{t('desk.history.title')}</h1>
        <span className={`desk-live desk-live-${socket}`} data-testid="desk-live" role="status">{t(`desk.socket.${socket}`)}</span>
      </div>
      <NoticeLine notice={notice} />
      <table className="grid" data-testid="history-table">
        <thead>
          <tr>
            <th>{t('desk.history.time')}</th><th>{t('desk.caller')}</th><th>{t('desk.queue')}</th><th>{t('desk.history.talk')}</th>
            <th>{t('desk.history.outcome')}</th><th>{t('desk.wrapUp.disposition')}</th><th>{t('desk.call.notes')}</th><th>{t('desk.history.recording')}</th>
          </tr>
        </thead>
        <tbody>
          {items?.length === 0 && <tr><td colSpan={8}>{t('desk.history.none')}</td></tr>}
          {items?.map((h) => (
            <tr key={h.interactionId} data-testid={`history-row-${h.interactionId}`}>
              <td>{formatClock(h.connectedAt, i18n.language)}</td>
              <td className="mono">{h.caller ?? t('desk.anonymous')}</td>
              <td>{h.queueName ?? '—'}</td>
              <td data-testid="history-talk">{h.endedAt || h.talkMs > 0 ? formatDuration(h.talkMs) : t('desk.history.live')}</td>
              <td data-testid="history-outcome">
                {h.outcome ? t(`desk.outcomes.${h.outcome}`, { defaultValue: h.outcome }) : t('desk.history.open')}
                {!h.handledLast && <span className="desk-muted"> · {t('desk.history.handedOn')}</span>}
              </td>
              <td data-testid="history-disposition">{h.disposition ?? '—'}</td>
              <td className="desk-notes-cell">{h.notes ?? ''}</td>
              <td>
                {h.recorded && (playing === h.interactionId
                  ? <audio controls autoPlay src={`/api/desktop/interactions/${encodeURIComponent(h.interactionId)}/recording`} data-testid="history-audio" />
                  : <button type="button" className="secondary" data-testid={`history-play-${h.interactionId}`} onClick={() => setPlaying(h.interactionId)}>{t('desk.history.play')}</button>)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
