// After-call work: the queue's disposition codes, the interaction's notes, a ticket for follow-up,
// and the time left before wrap-up ends by itself; finishing it makes the agent Available again
// (or whatever state they chose meanwhile).
import { forwardRef, useImperativeHandle, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import type { WrapUpView } from './desk-api.ts';
import { formatDuration, since } from './time.ts';

export interface WrapUpHandle { finish(): void }

interface Props {
  wrapUp: WrapUpView;
  now: number;
  notes: string;
  onNotes(text: string): void;
  customerId: string | null;
  run(action: () => Promise<unknown>, ok?: () => string): Promise<boolean>;
}

export const WrapUpPanel = forwardRef<WrapUpHandle, Props>(function WrapUpPanel({ wrapUp, now, notes, onNotes, customerId, run }, ref) {
  const { t } = useTranslation();
  const [disposition, setDisposition] = useState('');
  const [ticket, setTicket] = useState({ open: false, subject: '' });
  const [ticketNumber, setTicketNumber] = useState<number | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const needsDisposition = wrapUp.dispositions.length > 0;
  const left = wrapUp.wrapUpSeconds ? Date.parse(wrapUp.startedAt) + wrapUp.wrapUpSeconds * 1000 - now : null;

  useImperativeHandle(ref, () => ({ finish: () => formRef.current?.requestSubmit() }));

  const finish = async () => {
    const saved = await run(() => api('PATCH', `/api/desktop/interactions/${encodeURIComponent(wrapUp.contactId)}`, { notes: notes.trim() || null }));
    if (!saved) return;
    await run(() => api('POST', '/api/agents/me/wrap-up', disposition ? { disposition } : {}), () => t('desk.wrapUp.done'));
  };

  const createTicket = async () => {
    const subject = ticket.subject.trim();
    if (!subject) return;
    let created: { number?: number } | undefined;
    const ok = await run(async () => {
      created = await api<{ number?: number }>('POST', '/api/tickets', {
        subject, ...(notes.trim() ? { description: notes.trim() } : {}), ...(customerId ? { customerId } : {}), interactionIds: [wrapUp.contactId],
      });
    }, () => t('desk.wrapUp.ticketCreated'));
    if (ok) { setTicketNumber(created?.number ?? null); setTicket({ open: false, subject: '' }); }
  };

  return (
    <section className="card desk-wrapup" data-testid="desk-wrapup" aria-label={t('desk.wrapUp.title')}>
      <div className="desk-call-head">
        <h2>{t('desk.wrapUp.title')}</h2>
        <span className="desk-timer" data-testid="desk-wrapup-timer">
          {left === null ? since(wrapUp.startedAt, now) : t('desk.wrapUp.left', { time: formatDuration(left) })}
        </span>
      </div>
      <form ref={formRef} onSubmit={(e) => { e.preventDefault(); void finish(); }}>
        {needsDisposition && (
          <label>{t('desk.wrapUp.disposition')}
            <select name="disposition" data-testid="desk-disposition" required value={disposition} onChange={(e) => setDisposition(e.target.value)}>
              <option value="">—</option>
              {wrapUp.dispositions.map((d) => <option key={d} value={d}>{d}</option>)}
            </select>
          </label>
        )}
        <label>{t('desk.wrapUp.notes')}<textarea name="wrapUpNotes" data-testid="desk-wrapup-notes" rows={3} maxLength={10_000} value={notes} onChange={(e) => onNotes(e.target.value)} /></label>
        <div className="desk-buttons">
          <button type="submit" data-testid="desk-finish-wrapup">{t('desk.wrapUp.finish')}</button>
          <button type="button" className="secondary" data-testid="desk-ticket-open" aria-expanded={ticket.open} onClick={() => setTicket({ ...ticket, open: !ticket.open })}>{t('desk.wrapUp.ticket')}</button>
        </div>
      </form>
      {ticketNumber !== null && <p className="desk-muted" data-testid="desk-ticket-created">{t('desk.wrapUp.ticketNumber', { number: ticketNumber })}</p>}
      {ticket.open && (
        <form className="form inline" data-testid="desk-ticket-form" onSubmit={(e) => { e.preventDefault(); void createTicket(); }}>
          <label>{t('desk.wrapUp.ticketSubject')}<input name="ticketSubject" required maxLength={200} value={ticket.subject} onChange={(e) => setTicket({ ...ticket, subject: e.target.value })} /></label>
          <button type="submit" data-testid="desk-ticket-create">{t('desk.wrapUp.createTicket')}</button>
        </form>
      )}
    </section>
  );
});
