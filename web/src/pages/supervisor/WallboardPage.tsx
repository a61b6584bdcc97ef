// The live wallboard: per queue the callers waiting now and the longest wait, today's offered,
// answered and abandoned calls, service level, ASA and AHT, and agents by state. Figures arrive with
// each `wallboard.changed` message; the whole board is re-read when the socket comes back.
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api.ts';
import { NoticeLine, useErrorText, type Notice } from '../../ui/common.tsx';
import type { LiveMessage } from '../agent/desk-api.ts';
import { useLiveSocket } from '../agent/live-socket.ts';
import { formatDuration, useNow } from '../agent/time.ts';
import { BOARD_STATES, mergeWallboard, type Wallboard } from './wallboard-state.ts';
import './supervisor.css';

export function WallboardPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const now = useNow();
  const [board, setBoard] = useState<{ data: Wallboard; at: number }>();
  const [missing, setMissing] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const load = useCallback(() => {
    api<Wallboard>('GET', '/api/wallboard').then((data) => { setBoard({ data, at: Date.now() }); setMissing(false); setNotice(null); }, (e: unknown) => {
      if (e instanceof ApiError && e.code === 'SB_ROUTE_NOT_FOUND') setMissing(true);
      else setNotice({ kind: 'error', text: errorText(e) });
    });
  }, [errorText]);
  const onMessage = useCallback((m: LiveMessage) => {
    if (m.type === 'wallboard.changed') setBoard((b) => { const data = mergeWallboard(b?.data, m); return data ? { data, at: Date.now() } : b; });
  }, []);
  const socket = useLiveSocket(onMessage, load);
  const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);
  const secs = (v: number | null) => (v === null ? '—' : formatDuration(v * 1000));

  return (
    <section className="sup" data-testid="wallboard">
      <div className="page-head">
        <h1>{t('supervision.wallboard.title')}</h1>
        <span className={`desk-live desk-live-${socket}`} data-testid="desk-live" role="status">{t(`desk.socket.${socket}`)}</span>
      </div>
      <NoticeLine notice={notice} />
      {missing && <p className="card" data-testid="wallboard-missing">{t('supervision.wallboard.missing')}</p>}
      <div className="sup-board">
        {board?.data.queues.map((q) => (
          <article className="card sup-queue" key={q.queueId} data-testid={`wallboard-queue-${q.name}`} aria-label={q.name}>
            <h2>{q.name}</h2>
            <div className="sup-tiles">
              <Tile label={t('supervision.wallboard.waiting')} value={String(q.waiting)} id="waiting" alarm={q.waiting > 0} />
              <Tile label={t('supervision.wallboard.longestWait')} value={q.waiting > 0 ? formatDuration(q.longestWaitMs + (now - board.at)) : '—'} id="longest" />
              <Tile label={t('supervision.wallboard.offered')} value={String(q.today.offered)} id="offered" />
              <Tile label={t('supervision.wallboard.answered')} value={String(q.today.answered)} id="answered" />
              <Tile label={t('supervision.wallboard.abandoned')} value={String(q.today.abandoned)} id="abandoned" />
              <Tile label={t('supervision.wallboard.serviceLevel')} value={pct(q.today.serviceLevel)} id="service-level" />
              <Tile label={t('supervision.wallboard.asa')} value={secs(q.today.asaSeconds)} id="asa" />
              <Tile label={t('supervision.wallboard.aht')} value={secs(q.today.ahtSeconds)} id="aht" />
            </div>
            <ul className="sup-states" aria-label={t('supervision.wallboard.agentsByState')}>
              {BOARD_STATES.map((s) => <li key={s} data-testid={`wb-state-${s}`}><span className={`desk-state-badge desk-state-${s}`}>{t(`desk.states.${s}`)}</span> {q.agentsByState[s] ?? 0}</li>)}
            </ul>
          </article>
        ))}
      </div>
      {board && board.data.queues.length === 0 && <p>{t('supervision.wallboard.noQueues')}</p>}
    </section>
  );
}

function Tile({ label, value, id, alarm = false }: { label: string; value: string; id: string; alarm?: boolean }) {
  return (
    <div className={`sup-tile${alarm ? ' sup-tile-alarm' : ''}`} data-testid={`wb-${id}`}>
      <span className="sup-tile-value">{value}</span>
      <span className="sup-tile-label">{label}</span>
    </div>
  );
}
