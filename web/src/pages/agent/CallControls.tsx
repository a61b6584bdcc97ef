// The call in progress: its timer, hold, mute, recording pause, keys, transfer and consultation (to
// an agent, a queue or a number), a three-way conference, hang-up, and the call's notes.
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import type { CallView, LiveCall, TransferTargets } from './desk-api.ts';
import { since } from './time.ts';

type TargetKind = 'agent' | 'queue' | 'number';
type Mode = 'blind' | 'consult' | 'conference';

export interface CallControlsHandle {
  toggleHold(): void;
  toggleMute(): void;
  focusTransfer(): void;
  focusKeypad(): void;
  focusNotes(): void;
  hangUp(): void;
}

interface Props {
  call: CallView;
  live: LiveCall | undefined;
  now: number;
  /** Runs a call control; failures become the page's notice. */
  run(action: () => Promise<unknown>, ok?: () => string): Promise<boolean>;
  onLive(change: Partial<LiveCall>): void;
  /** The call's notes, kept by the page so wrap-up continues them. */
  notes: string;
  onNotes(text: string): void;
}

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

export const CallControls = forwardRef<CallControlsHandle, Props>(function CallControls({ call, live, now, run, onLive, notes, onNotes }, ref) {
  const { t } = useTranslation();
  const [targets, setTargets] = useState<TransferTargets>({ agents: [], queues: [] });
  const [kind, setKind] = useState<TargetKind>('agent');
  const [target, setTarget] = useState('');
  const [mode, setMode] = useState<Mode>('blind');
  const [sent, setSent] = useState('');
  const transferRef = useRef<HTMLSelectElement>(null);
  const keypadRef = useRef<HTMLButtonElement>(null);
  const notesRef = useRef<HTMLTextAreaElement>(null);
  const base = `/api/calls/${encodeURIComponent(call.callId)}`;
  const muted = live?.muted ?? false;
  const recordingPaused = live?.recording === false;
  const consulting = live?.consulting ?? false;
  const conference = live?.conference ?? false;

  useEffect(() => {
    api<TransferTargets>('GET', '/api/desktop/transfer-targets').then(setTargets, () => undefined);
  }, [call.callId]);

  const destination = (): Record<string, string> | undefined => {
    const v = target.trim();
    if (!v) return undefined;
    return kind === 'agent' ? { agent: v } : kind === 'queue' ? { queue: v } : { number: v };
  };
  const hold = () => void run(() => api('POST', `${base}/hold`, { held: !call.held }));
  const mute = () => void run(async () => { await api('POST', `${base}/mute`, { muted: !muted }); onLive({ muted: !muted }); });
  const hangUp = () => void run(() => api('POST', `${base}/hangup`));

  useImperativeHandle(ref, () => ({
    toggleHold: hold, toggleMute: mute, hangUp,
    focusTransfer: () => transferRef.current?.focus(),
    focusKeypad: () => keypadRef.current?.focus(),
    focusNotes: () => notesRef.current?.focus(),
  }));

  const transfer = async () => {
    const dest = destination();
    if (!dest) return;
    if (mode === 'blind') await run(() => api('POST', `${base}/transfer`, { target: dest }), () => t('desk.call.transferred'));
    else if (mode === 'consult') { if (await run(() => api('POST', `${base}/consult`, { target: dest }))) onLive({ consulting: true }); }
    else if (await run(() => api('POST', `${base}/conference`, { target: dest }))) onLive({ conference: true });
  };

  return (
    <section className="card desk-call" data-testid="desk-call" aria-label={t('desk.call.title')}>
      <div className="desk-call-head">
        <h2>{t('desk.call.title')}</h2>
        <span className="desk-timer" data-testid="desk-call-timer" aria-label={t('desk.call.duration')}>{since(call.connectedAt, now)}</span>
        {call.held && <span className="desk-badge desk-badge-held" data-testid="desk-call-held">{t('desk.call.onHold', { time: since(call.heldSince, now) })}</span>}
        {muted && <span className="desk-badge" data-testid="desk-call-muted">{t('desk.call.muted')}</span>}
        {recordingPaused && <span className="desk-badge" data-testid="desk-call-recording-paused">{t('desk.call.recordingPaused')}</span>}
      </div>
      <div className="desk-buttons" role="group" aria-label={t('desk.call.controls')}>
        <button type="button" data-testid="desk-hold" aria-pressed={call.held} onClick={hold}>{call.held ? t('desk.call.resume') : t('desk.call.hold')}</button>
        <button type="button" data-testid="desk-mute" aria-pressed={muted} onClick={mute}>{muted ? t('desk.call.unmute') : t('desk.call.mute')}</button>
        <button type="button" data-testid="desk-recording" aria-pressed={recordingPaused}
          onClick={() => void run(async () => { await api('POST', `${base}/recording`, { paused: !recordingPaused }); onLive({ recording: recordingPaused }); })}>
          {recordingPaused ? t('desk.call.resumeRecording') : t('desk.call.pauseRecording')}
        </button>
        <button type="button" className="desk-danger" data-testid="desk-hangup" onClick={hangUp}>{t('desk.call.hangUp')}</button>
      </div>

      <form className="desk-transfer" data-testid="desk-transfer" onSubmit={(e) => { e.preventDefault(); void transfer(); }}>
        <fieldset>
          <legend>{t('desk.call.transferTitle')}</legend>
          <label>{t('desk.call.to')}
            <select ref={transferRef} name="transferKind" data-testid="desk-transfer-kind" value={kind} onChange={(e) => { setKind(e.target.value as TargetKind); setTarget(''); }}>
              <option value="agent">{t('desk.call.toAgent')}</option>
              <option value="queue" disabled={mode !== 'blind'}>{t('desk.call.toQueue')}</option>
              <option value="number">{t('desk.call.toNumber')}</option>
            </select>
          </label>
          {kind === 'number' ? (
            <label>{t('desk.call.number')}<input name="transferNumber" data-testid="desk-transfer-target" inputMode="tel" pattern="\+?[0-9]{3,20}" required value={target} onChange={(e) => setTarget(e.target.value)} /></label>
          ) : (
            <label>{kind === 'agent' ? t('desk.call.agent') : t('desk.call.queue')}
              <select name="transferTarget" data-testid="desk-transfer-target" required value={target} onChange={(e) => setTarget(e.target.value)}>
                <option value="">—</option>
                {kind === 'agent'
                  ? targets.agents.map((a) => <option key={a.id} value={a.id}>{`${a.displayName} (${t(`desk.states.${a.state}`, { defaultValue: a.state })})`}</option>)
                  : targets.queues.map((q) => <option key={q.id} value={q.id}>{q.name}</option>)}
              </select>
            </label>
          )}
          <label>{t('desk.call.mode')}
            <select name="transferMode" data-testid="desk-transfer-mode" value={mode} onChange={(e) => { const m = e.target.value as Mode; setMode(m); if (m !== 'blind' && kind === 'queue') setKind('agent'); }}>
              <option value="blind">{t('desk.call.blind')}</option>
              <option value="consult">{t('desk.call.consult')}</option>
              <option value="conference">{t('desk.call.conference')}</option>
            </select>
          </label>
          <button type="submit" data-testid="desk-transfer-go">{mode === 'blind' ? t('desk.call.transfer') : mode === 'consult' ? t('desk.call.startConsult') : t('desk.call.addToConference')}</button>
        </fieldset>
        {consulting && (
          <div className="desk-buttons" data-testid="desk-consulting">
            <span>{t('desk.call.consulting')}</span>
            <button type="button" data-testid="desk-consult-complete" onClick={() => void run(async () => { await api('POST', `${base}/consult/complete`); onLive({ consulting: false }); }, () => t('desk.call.transferred'))}>{t('desk.call.completeConsult')}</button>
            <button type="button" className="secondary" data-testid="desk-consult-cancel" onClick={() => void run(async () => { await api('POST', `${base}/consult/cancel`); onLive({ consulting: false }); })}>{t('desk.call.cancelConsult')}</button>
          </div>
        )}
        {conference && (
          <div className="desk-buttons" data-testid="desk-conference">
            <span>{t('desk.call.inConference')}</span>
            <button type="button" className="secondary" data-testid="desk-conference-end" onClick={() => void run(async () => { await api('DELETE', `${base}/conference`); onLive({ conference: false }); })}>{t('desk.call.endConference')}</button>
          </div>
        )}
      </form>

      <div className="desk-keypad" role="group" aria-label={t('desk.call.keypad')} data-testid="desk-keypad">
        {KEYS.map((k, i) => (
          <button key={k} type="button" ref={i === 0 ? keypadRef : undefined} className="secondary" data-testid={`desk-key-${k === '*' ? 'star' : k === '#' ? 'hash' : k}`}
            onClick={() => void run(async () => { await api('POST', `${base}/dtmf`, { digits: k }); setSent((s) => (s + k).slice(-16)); })}>{k}</button>
        ))}
        <output className="desk-keys-sent" data-testid="desk-keys-sent" aria-live="polite">{sent}</output>
      </div>

      <form className="desk-notes" onSubmit={(e) => { e.preventDefault(); void run(() => api('PATCH', `/api/desktop/interactions/${encodeURIComponent(call.callId)}`, { notes: notes || null }), () => t('desk.call.notesSaved')); }}>
        <label>{t('desk.call.notes')}<textarea ref={notesRef} name="callNotes" data-testid="desk-notes" rows={3} maxLength={10_000} value={notes} onChange={(e) => onNotes(e.target.value)} /></label>
        <button type="submit" className="secondary" data-testid="desk-save-notes">{t('desk.call.saveNotes')}</button>
      </form>
    </section>
  );
});
