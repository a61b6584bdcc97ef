// The agent desktop: my station and state, the offer ringing for me with the screen pop, the call
// with its controls, wrap-up, and tasks (tickets routed to me: accept, open, resolve). Driven by the live socket; whenever it (re)connects, the page re-reads
// GET /api/desktop/state, so nothing missed while it was down is lost and the page never reloads.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Me } from '../../api.ts';
import { NoticeLine, useErrorText, type Notice } from '../../ui/common.tsx';
import { CallControls, type CallControlsHandle } from './CallControls.tsx';
import type { CallView, DeskState, LiveCall, LiveMessage, OfferView, WrapUpView } from './desk-api.ts';
import { applyMessage, ivrText } from './desk-state.ts';
import { useLiveSocket } from './live-socket.ts';
import { ScreenPop } from './ScreenPop.tsx';
import { MyTasks, TaskOffers, type MyTasksHandle, type TaskOffersHandle } from './TasksPanel.tsx';
import { formatDuration, since, useNow } from './time.ts';
import { WrapUpPanel, type WrapUpHandle } from './WrapUpPanel.tsx';
import './desk.css';

/** The desktop's keyboard shortcuts (Alt + key), listed on the page. */
const SHORTCUTS = [
  ['A', 'available'], ['N', 'notReady'], ['R', 'reject'], ['H', 'hold'], ['M', 'mute'], ['T', 'transfer'], ['K', 'keypad'], ['O', 'notes'], ['E', 'hangUp'], ['W', 'finish'],
  ['Y', 'acceptTask'], ['X', 'rejectTask'], ['V', 'resolveTask'],
] as const;

export function AgentDesktopPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const now = useNow();
  const [desk, setDesk] = useState<DeskState>();
  const [live, setLive] = useState<Record<string, LiveCall>>({});
  // Notices are rendered from their source each time, so they follow a change of language.
  const [notice, setNotice] = useState<{ kind: Notice['kind']; text: () => string } | null>(null);
  const [reason, setReason] = useState('break');
  const [notes, setNotes] = useState<{ contactId: string; text: string }>({ contactId: '', text: '' });
  const [customerId, setCustomerId] = useState<string | null>(null);
  const [dial, setDial] = useState('');
  const [resyncs, setResyncs] = useState(0);
  const callRef = useRef<CallControlsHandle>(null);
  const wrapUpRef = useRef<WrapUpHandle>(null);
  const taskOffersRef = useRef<TaskOffersHandle>(null);
  const myTasksRef = useRef<MyTasksHandle>(null);

  const sync = useCallback(async () => {
    try {
      const state = await api<DeskState>('GET', '/api/desktop/state');
      setDesk(state);
      setResyncs((n) => n + 1);
      const calls = await api<{ items: LiveCall[] }>('GET', '/api/agents/me/calls').then((r) => r.items, () => []);
      setLive(Object.fromEntries(calls.map((c) => [c.callId, c])));
    } catch (e) {
      setNotice({ kind: 'error', text: () => errorText(e) });
    }
  }, [errorText]);

  const onMessage = useCallback((m: LiveMessage) => {
    setDesk((d) => (d ? applyMessage(d, m, me.id) : d));
  }, [me.id]);
  const socket = useLiveSocket(onMessage, () => { void sync(); });

  const run = useCallback(async (action: () => Promise<unknown>, ok?: () => string) => {
    try {
      await action();
      setNotice(ok ? { kind: 'ok', text: ok } : null);
      return true;
    } catch (e) {
      setNotice({ kind: 'error', text: () => errorText(e) });
      return false;
    }
  }, [errorText]);

  const setState = (state: 'Available' | 'NotReady' | 'Offline') =>
    run(async () => {
      const a = await api<{ state: string; reason: string | null; stateSince: string; pending: DeskState['agent']['pending'] }>('PUT', '/api/agents/me/state', state === 'NotReady' ? { state, reason } : { state });
      setDesk((d) => (d ? { ...d, agent: { state: a.state, reason: a.reason, stateSince: a.stateSince, pending: a.pending } } : d));
    });
  const saveSettings = (change: Partial<DeskState['settings']>) =>
    run(async () => {
      const settings = await api<DeskState['settings']>('PUT', '/api/desktop/settings', change);
      setDesk((d) => (d ? { ...d, settings } : d));
    }, () => t('desk.settingsSaved'));

  const work = desk?.work;
  const offer = work?.offer ?? null;
  const call = work?.call ?? null;
  const wrapUp = work?.wrapUp ?? null;
  const taskOffers = work?.taskOffers ?? [];
  const tasks = work?.tasks ?? [];
  const contact = call ?? offer ?? wrapUp;
  const contactId = contact?.contactId ?? '';
  const reject = () => { if (offer) void run(() => api('POST', `/api/agents/me/offers/${encodeURIComponent(offer.offerId)}/reject`), () => t('desk.offer.rejected')); };

  useEffect(() => { if (contactId && notes.contactId !== contactId) setNotes({ contactId, text: '' }); }, [contactId, notes.contactId]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const key = e.key.toUpperCase();
      const act: Record<string, (() => void) | undefined> = {
        A: () => void setState('Available'), N: () => void setState('NotReady'), R: offer ? reject : undefined,
        H: call ? () => callRef.current?.toggleHold() : undefined, M: call ? () => callRef.current?.toggleMute() : undefined,
        T: call ? () => callRef.current?.focusTransfer() : undefined, K: call ? () => callRef.current?.focusKeypad() : undefined,
        O: call ? () => callRef.current?.focusNotes() : undefined, E: call ? () => callRef.current?.hangUp() : undefined,
        W: wrapUp ? () => wrapUpRef.current?.finish() : undefined,
        Y: taskOffers.length ? () => taskOffersRef.current?.acceptFirst() : undefined, X: taskOffers.length ? () => taskOffersRef.current?.rejectFirst() : undefined,
        V: tasks.length ? () => myTasksRef.current?.resolveFirst() : undefined,
      };
      const f = act[key];
      if (!f) return;
      e.preventDefault();
      f();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  });

  const state = desk?.agent;
  return (
    <section className="desk" data-testid="desk" data-resyncs={resyncs}>
      <div className="page-head">
        <h1>{t('desk.title')}</h1>
        <span className={`desk-live desk-live-${socket}`} data-testid="desk-live" role="status">{t(`desk.socket.${socket}`)}</span>
      </div>
      <p className="desk-muted">{t('desk.teams')} <span data-testid="desktop-teams">{me.teams.length ? me.teams.map((x) => x.name).join(', ') : t('desk.noTeams')}</span></p>
      <NoticeLine notice={notice ? { kind: notice.kind, text: notice.text() } : null} />
      {!desk && <p className="loading">{t('app.loading')}</p>}
      {desk && state && (
        <>
          <div className="desk-bar card">
            <div className="desk-state">
              <span className={`desk-state-badge desk-state-${state.state}`} data-testid="desk-state">{t(`desk.states.${state.state}`, { defaultValue: state.state })}</span>
              {state.reason && <span className="desk-reason" data-testid="desk-state-reason">{t(`desk.reasons.${state.reason}`, { defaultValue: state.reason })}</span>}
              <span className="desk-timer" data-testid="desk-state-time" aria-label={t('desk.timeInState')}>{since(state.stateSince, now)}</span>
              {state.pending && <span className="desk-muted" data-testid="desk-pending">{t('desk.pending', { state: t(`desk.states.${state.pending.state}`) })}</span>}
            </div>
            <div className="desk-buttons" role="group" aria-label={t('desk.setState')}>
              <button type="button" data-testid="desk-available" disabled={state.state === 'Available'} onClick={() => void setState('Available')}>{t('desk.states.Available')}</button>
              <label className="desk-inline">
                <span className="desk-sr-only">{t('desk.reason')}</span>
                <select name="reason" data-testid="desk-reason" value={reason} onChange={(e) => setReason(e.target.value)}>
                  {desk.reasons.map((r) => <option key={r} value={r}>{t(`desk.reasons.${r}`, { defaultValue: r })}</option>)}
                </select>
              </label>
              <button type="button" className="secondary" data-testid="desk-notready" onClick={() => void setState('NotReady')}>{t('desk.states.NotReady')}</button>
              <button type="button" className="secondary" data-testid="desk-offline" onClick={() => void setState('Offline')}>{t('desk.states.Offline')}</button>
            </div>
            <div className="desk-station">
              <label className="desk-inline">{t('desk.station')}
                <select name="station" data-testid="desk-station" value={desk.settings.stationPhoneId ?? ''} onChange={(e) => void saveSettings({ stationPhoneId: e.target.value || null })}>
                  <option value="">{t('desk.allPhones')}</option>
                  {desk.phones.map((p) => <option key={p.id} value={p.id}>{`${p.username} · ${p.displayName}`}</option>)}
                </select>
              </label>
              <label className="check">
                <input type="checkbox" name="autoAnswer" data-testid="desk-auto-answer" checked={desk.settings.autoAnswer} onChange={(e) => void saveSettings({ autoAnswer: e.target.checked })} />
                {t('desk.autoAnswer')}
              </label>
              {desk.phones.length === 0 && <span className="desk-muted" data-testid="desk-no-phone">{t('desk.noPhone')}</span>}
            </div>
          </div>

          <TaskOffers ref={taskOffersRef} offers={taskOffers} now={now} run={run} />
          <div className={contact ? 'desk-work' : undefined}>
            <div className="desk-main">
              {offer && <OfferCard offer={offer} now={now} onReject={reject} />}
              {call && (
                <CallControls ref={callRef} call={call} live={live[call.callId]} now={now} run={run}
                  onLive={(change) => setLive((l) => ({ ...l, [call.callId]: { ...l[call.callId], callId: call.callId, ...change } }))}
                  notes={notes.contactId === call.callId ? notes.text : ''} onNotes={(text) => setNotes({ contactId: call.callId, text })} />
              )}
              {wrapUp && !call && (
                <WrapUpPanel ref={wrapUpRef} wrapUp={wrapUp} now={now} customerId={customerId} run={run}
                  notes={notes.contactId === wrapUp.contactId ? notes.text : ''} onNotes={(text) => setNotes({ contactId: wrapUp.contactId, text })} />
              )}
            </div>
            {contact && (
              <aside className="desk-aside">
                {!offer && <CallerSummary contact={contact} />}
                <ScreenPop key={contact.contactId} caller={contact.caller} onCustomer={setCustomerId} />
              </aside>
            )}
          </div>
          {!contact && (
            <div className="card desk-idle" data-testid="desk-idle">
              <p>{state.state === 'Available' ? t('desk.waiting') : t('desk.notWaiting')}</p>
              <form className="form inline" onSubmit={(e) => { e.preventDefault(); void run(() => api('POST', '/api/calls', { number: dial.trim() }), () => t('desk.dialling', { number: dial.trim() })); }}>
                <label>{t('desk.dial')}<input name="dial" data-testid="desk-dial" inputMode="tel" pattern="\+?[0-9]{3,20}" required value={dial} onChange={(e) => setDial(e.target.value)} /></label>
                <button type="submit" className="secondary" data-testid="desk-dial-go">{t('desk.call.callButton')}</button>
              </form>
            </div>
          )}
          <MyTasks ref={myTasksRef} tasks={tasks} offers={taskOffers} run={run} />
          <details className="card desk-shortcuts" data-testid="desk-shortcuts">
            <summary>{t('desk.shortcuts.title')}</summary>
            <dl className="facts">
              {SHORTCUTS.map(([key, name]) => (
                <div key={key} className="desk-fact"><dt><kbd>Alt</kbd>+<kbd>{key}</kbd></dt><dd>{t(`desk.shortcuts.${name}`)}</dd></div>
              ))}
            </dl>
          </details>
        </>
      )}
    </section>
  );
}

/** The incoming offer: who, through which IVR choices, for which queue; it is answered on the phone. */
function OfferCard({ offer, now, onReject }: { offer: OfferView; now: number; onReject: () => void }) {
  const { t } = useTranslation();
  const left = offer.timeoutSeconds ? Date.parse(offer.at) + offer.timeoutSeconds * 1000 - now : null;
  return (
    <section className="card desk-offer" data-testid="desk-offer" role="alert" aria-label={t('desk.offer.title')}>
      <h2>{t('desk.offer.title')}</h2>
      <p className="desk-offer-caller" data-testid="desk-offer-caller">{offer.caller ?? t('desk.anonymous')}</p>
      <dl className="facts">
        <dt>{t('desk.queue')}</dt><dd data-testid="desk-offer-queue">{offer.queueName ?? '—'}</dd>
        <dt>{t('desk.language')}</dt><dd data-testid="desk-offer-language">{offer.language ? t(`desk.languages.${offer.language}`, { defaultValue: offer.language }) : '—'}</dd>
        <dt>{t('desk.ivr')}</dt><dd data-testid="desk-offer-ivr">{ivrText(offer.ivrPath)}</dd>
      </dl>
      <p className="desk-muted">{t('desk.offer.answerOnPhone')}{left !== null && ` · ${t('desk.offer.ringsFor', { time: formatDuration(left) })}`}</p>
      <button type="button" className="desk-danger" data-testid="desk-reject" onClick={onReject}>{t('desk.offer.reject')}</button>
    </section>
  );
}

function CallerSummary({ contact }: { contact: CallView | OfferView | WrapUpView }) {
  const { t } = useTranslation();
  return (
    <dl className="facts card desk-contact" data-testid="desk-contact">
      <dt>{t('desk.caller')}</dt><dd data-testid="desk-contact-caller">{contact.caller ?? t('desk.anonymous')}</dd>
      <dt>{t('desk.queue')}</dt><dd data-testid="desk-contact-queue">{contact.queueName ?? '—'}</dd>
      <dt>{t('desk.ivr')}</dt><dd>{ivrText(contact.ivrPath)}</dd>
    </dl>
  );
}
