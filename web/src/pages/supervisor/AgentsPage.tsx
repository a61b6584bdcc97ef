// The supervisor's agents view, team by team: each agent's state and time in it, what they are on
// now (offer, call, wrap-up), a forced state change, and listen / whisper / barge on their call.
// Live from the socket; re-read whenever the socket comes back.
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Me } from '../../api.ts';
import { NoticeLine, useErrorText, type Notice } from '../../ui/common.tsx';
import type { LiveMessage, WorkView } from '../agent/desk-api.ts';
import { useLiveSocket } from '../agent/live-socket.ts';
import { since, useNow } from '../agent/time.ts';
import './supervisor.css';

interface SupervisedAgent {
  agentId: string;
  displayName: string;
  teamIds: string[];
  state: string;
  reason: string | null;
  stateSince: string | null;
  pending: { state: string; reason: string | null } | null;
  work: WorkView;
}
interface AgentsAnswer { teams: { id: string; name: string }[]; items: SupervisedAgent[] }

const FORCE = ['Available', 'NotReady', 'Offline'] as const;
const MONITOR = ['listen', 'whisper', 'barge'] as const;

export function AgentsPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const now = useNow();
  const [data, setData] = useState<AgentsAnswer>();
  // Rendered from their source each time, so notices follow a change of language.
  const [notice, setNotice] = useState<{ kind: Notice['kind']; text: () => string } | null>(null);
  const [monitoring, setMonitoring] = useState<{ callId: string; mode: string } | null>(null);
  const canForce = me.permissions.includes('agents.manage');
  const load = useCallback(() => {
    api<AgentsAnswer>('GET', '/api/supervisor/agents').then(setData, (e: unknown) => setNotice({ kind: 'error', text: () => errorText(e) }));
  }, [errorText]);
  const onMessage = useCallback((m: LiveMessage) => {
    setData((d) => {
      if (!d) return d;
      const id = m['agentId'];
      if (m.type === 'agent.state') {
        if (!d.items.some((a) => a.agentId === id)) { load(); return d; }
        return { ...d, items: d.items.map((a) => (a.agentId === id ? { ...a, state: String(m['state']), reason: (m['reason'] as string | null) ?? null, stateSince: String(m['since']) } : a)) };
      }
      if (m.type === 'agent.work') return { ...d, items: d.items.map((a) => (a.agentId === id ? { ...a, work: m['work'] as WorkView } : a)) };
      return d;
    });
  }, [load]);
  const socket = useLiveSocket(onMessage, load);

  const run = async (action: () => Promise<unknown>, ok: () => string) => {
    try { await action(); setNotice({ kind: 'ok', text: ok }); return true; } catch (e) { setNotice({ kind: 'error', text: () => errorText(e) }); return false; }
  };
  /** Listen, whisper or barge: the first choice rings my phone; later ones switch the mode; stop hangs my phone up. */
  const monitor = async (callId: string, mode: string) => {
    const url = `/api/calls/${encodeURIComponent(callId)}/monitor`;
    const switching = monitoring?.callId === callId;
    const ok = await run(async () => {
      const r = await api<{ ok: boolean }>(switching ? 'PUT' : 'POST', url, { mode });
      if (!r.ok) throw new Error(t('supervision.agents.monitorFailed'));
    }, () => t(switching ? 'supervision.agents.switched' : 'supervision.agents.monitoring', { mode: t(`supervision.agents.${mode}`) }));
    if (ok) setMonitoring({ callId, mode });
  };
  const stopMonitor = async (callId: string) => {
    if (await run(() => api('DELETE', `/api/calls/${encodeURIComponent(callId)}/monitor`), () => t('supervision.agents.stopped'))) setMonitoring(null);
  };
  const groups = data ? [
    ...data.teams.map((team) => ({ key: team.id, name: team.name, agents: data.items.filter((a) => a.teamIds.includes(team.id)) })),
    { key: '', name: t('supervision.agents.noTeam'), agents: data.items.filter((a) => a.teamIds.length === 0) },
  ].filter((g) => g.key !== '' || g.agents.length > 0) : [];

  return (
    <section className="sup" data-testid="sup-agents">
      <div className="page-head">
        <h1>{t('supervision.agents.title')}</h1>
        <span className={`desk-live desk-live-${socket}`} data-testid="desk-live" role="status">{t(`desk.socket.${socket}`)}</span>
      </div>
      <NoticeLine notice={notice ? { kind: notice.kind, text: notice.text() } : null} />
      {groups.map((g) => (
        <div className="card" key={g.key || 'none'} data-testid={`roster-${g.name}`}>
          <h2>{g.name} <small>({t('supervision.agents.members', { count: g.agents.length })})</small></h2>
          <table className="grid">
            <thead><tr><th>{t('supervision.agents.name')}</th><th>{t('supervision.agents.state')}</th><th>{t('desk.timeInState')}</th><th>{t('supervision.agents.now')}</th><th>{t('common.actions')}</th></tr></thead>
            <tbody>
              {g.agents.map((a) => (
                <tr key={a.agentId} data-testid={`agent-row-${a.agentId}`}>
                  <td>{a.displayName}</td>
                  <td data-testid="agent-state">
                    <span className={`desk-state-badge desk-state-${a.state}`}>{t(`desk.states.${a.state}`, { defaultValue: a.state })}</span>
                    {a.reason && <span className="desk-reason"> {t(`desk.reasons.${a.reason}`, { defaultValue: a.reason })}</span>}
                    {a.pending && <span className="desk-muted"> · {t('desk.pending', { state: t(`desk.states.${a.pending.state}`) })}</span>}
                  </td>
                  <td className="desk-timer" data-testid="agent-state-time">{since(a.stateSince, now)}</td>
                  <td data-testid="agent-work"><WorkSummary work={a.work} now={now} /></td>
                  <td className="actions">
                    {canForce && (
                      <span className="sup-force" role="group" aria-label={t('supervision.agents.force')}>
                        {FORCE.map((s) => (
                          <button key={s} type="button" data-testid={`force-${s}`} disabled={a.state === s}
                            onClick={() => void run(() => api('PUT', `/api/agents/${encodeURIComponent(a.agentId)}/state`, s === 'NotReady' ? { state: s, reason: 'supervisor' } : { state: s }),
                              () => t('supervision.agents.forced', { name: a.displayName, state: t(`desk.states.${s}`) }))}>{t(`desk.states.${s}`)}</button>
                        ))}
                      </span>
                    )}
                    {a.work.call && (
                      <span className="sup-monitor" role="group" aria-label={t('supervision.agents.monitor')}>
                        {MONITOR.map((mode) => (
                          <button key={mode} type="button" data-testid={`monitor-${mode}`} aria-pressed={monitoring?.callId === a.work.call!.callId && monitoring.mode === mode}
                            onClick={() => void monitor(a.work.call!.callId, mode)}>{t(`supervision.agents.${mode}`)}</button>
                        ))}
                        {monitoring?.callId === a.work.call.callId && (
                          <button type="button" className="secondary" data-testid="monitor-stop" onClick={() => void stopMonitor(a.work.call!.callId)}>{t('supervision.agents.stop')}</button>
                        )}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}

function WorkSummary({ work, now }: { work: WorkView; now: number }) {
  const { t } = useTranslation();
  if (work.call) {
    return (
      <span>
        {t('supervision.agents.onCall', { caller: work.call.caller ?? t('desk.anonymous'), queue: work.call.queueName ?? '—' })} · {since(work.call.connectedAt, now)}
        {work.call.held && <span className="desk-badge desk-badge-held"> {t('desk.call.held')}</span>}
      </span>
    );
  }
  if (work.offer) return <span>{t('supervision.agents.ringing', { caller: work.offer.caller ?? t('desk.anonymous'), queue: work.offer.queueName ?? '—' })}</span>;
  if (work.wrapUp) return <span>{t('supervision.agents.wrappingUp', { caller: work.wrapUp.caller ?? t('desk.anonymous') })} · {since(work.wrapUp.startedAt, now)}</span>;
  return <span className="desk-muted">—</span>;
}
