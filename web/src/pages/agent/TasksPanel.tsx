// Tasks: tickets the ACD routes to the agent like calls. Offers show the ticket (number, subject,
// priority, customer) with Accept and Reject; accepted tasks ("My tasks") are listed with a link that
// opens the ticket on this page and a Resolve action, which moves the ticket along its workflow to a resolved
// status (PATCH /api/tickets/:id, one allowed transition at a time). Ticket texts come from
// customers and colleagues, so they are rendered as text only. Notices read the language when they
// are shown (i18next.t), so they follow a change of language.
import i18next from 'i18next';
import { forwardRef, useEffect, useImperativeHandle, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import type { TaskOfferView, TaskTicket, TaskView, TicketDetail } from './desk-api.ts';
import { formatClock, formatDuration } from './time.ts';

export interface TaskOffersHandle {
  acceptFirst(): void;
  rejectFirst(): void;
}

export interface MyTasksHandle {
  resolveFirst(): void;
}

type Run = (action: () => Promise<unknown>, ok?: () => string) => Promise<boolean>;

/** The ticket a link opened (`/agent?ticket=<id>`), followed through the browser's history. */
function useOpenTicket(): string | null {
  const read = () => new URLSearchParams(location.search).get('ticket');
  const [id, setId] = useState(read);
  useEffect(() => {
    const onPop = () => setId(read());
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  return id;
}

const ticketLink = (id: string) => `/agent?ticket=${encodeURIComponent(id)}`;

/** Opens (or, with null, closes) a ticket on this page as a history entry, so Back closes it again. */
function showTicket(id: string | null): void {
  history.pushState(null, '', id ? ticketLink(id) : '/agent');
  dispatchEvent(new PopStateEvent('popstate'));
}

/** The tickets offered to me now, each with Accept and Reject (shown at the top of the desktop). */
export const TaskOffers = forwardRef<TaskOffersHandle, { offers: TaskOfferView[]; now: number; run: Run }>(function TaskOffers({ offers, now, run }, ref) {
  const { t } = useTranslation();
  const accept = (o: TaskOfferView) =>
    run(() => api('POST', `/api/agents/me/offers/${encodeURIComponent(o.offerId)}/accept`), () => i18next.t('desk.tasks.accepted', { number: o.ticket?.number ?? '' }));
  const reject = (o: TaskOfferView) => run(() => api('POST', `/api/agents/me/offers/${encodeURIComponent(o.offerId)}/reject`), () => i18next.t('desk.tasks.rejected'));

  useImperativeHandle(ref, () => ({
    acceptFirst: () => { if (offers[0]) void accept(offers[0]); },
    rejectFirst: () => { if (offers[0]) void reject(offers[0]); },
  }));

  if (offers.length === 0) return null;
  return (
    <ul className="desk-task-offers" aria-live="polite" aria-label={t('desk.tasks.offered')}>
      {offers.map((o) => (
        <li key={o.offerId} className="card desk-task-offer" data-testid="desk-task-offer">
          <h2>{t('desk.tasks.offered')}</h2>
          {o.ticket ? <TicketFacts ticket={o.ticket} /> : <p className="desk-muted">{t('desk.tasks.ticketUnavailable')}</p>}
          <p className="desk-muted">
            {t('desk.tasks.offeredHint')}
            {o.timeoutSeconds !== null && ` · ${t('desk.tasks.expiresIn', { time: formatDuration(Date.parse(o.at) + o.timeoutSeconds * 1000 - now) })}`}
          </p>
          <div className="desk-buttons">
            <button type="button" data-testid="desk-task-accept" onClick={() => void accept(o)}>{t('desk.tasks.accept')}</button>
            <button type="button" className="desk-danger" data-testid="desk-task-reject" onClick={() => void reject(o)}>{t('desk.tasks.reject')}</button>
          </div>
        </li>
      ))}
    </ul>
  );
});

/** The tasks I hold: a link to each ticket (opened on this page) and Resolve. */
export const MyTasks = forwardRef<MyTasksHandle, { tasks: TaskView[]; offers: TaskOfferView[]; run: Run }>(function MyTasks({ tasks, offers, run }, ref) {
  const { t } = useTranslation();
  const openId = useOpenTicket();
  const resolve = (ticket: TaskTicket) =>
    run(async () => {
      for (const status of ticket.resolveThrough ?? []) await api('PATCH', `/api/tickets/${encodeURIComponent(ticket.id)}`, { status });
    }, () => i18next.t('desk.tasks.resolved', { number: ticket.number }));

  useImperativeHandle(ref, () => ({
    resolveFirst: () => { const first = tasks.find((x) => x.ticket?.resolveThrough?.length); if (first?.ticket) void resolve(first.ticket); },
  }));

  const known = openId ? (tasks.find((x) => x.ticket?.id === openId)?.ticket ?? offers.find((o) => o.ticket?.id === openId)?.ticket) : undefined;
  return (
    <section className="card desk-tasks" data-testid="desk-tasks" aria-labelledby="desk-tasks-title">
      <h2 id="desk-tasks-title">{t('desk.tasks.mine')}</h2>
      {tasks.length === 0 ? <p className="desk-muted" data-testid="desk-no-tasks">{t('desk.tasks.none')}</p> : (
        <ul className="desk-task-list">
          {tasks.map((x) => <TaskRow key={x.contactId} task={x} onResolve={resolve} />)}
        </ul>
      )}
      {openId && <TicketPanel key={`${openId}:${known?.status ?? ''}`} id={openId} statusName={known?.statusName} />}
    </section>
  );
});

function TicketFacts({ ticket }: { ticket: TaskTicket }) {
  const { t } = useTranslation();
  return (
    <dl className="facts">
      <dt>{t('desk.tasks.number')}</dt><dd data-testid="desk-task-number">#{ticket.number}</dd>
      <dt>{t('desk.tasks.subject')}</dt><dd data-testid="desk-task-subject">{ticket.subject}</dd>
      <dt>{t('desk.tasks.priority')}</dt>
      <dd><span className={`desk-priority desk-priority-${ticket.priority}`} data-testid="desk-task-priority">{t(`desk.tasks.priorities.${ticket.priority}`, { defaultValue: ticket.priority })}</span></dd>
      <dt>{t('desk.tasks.customer')}</dt><dd data-testid="desk-task-customer">{ticket.customerName ?? (ticket.customerId ? '—' : t('desk.tasks.noCustomer'))}</dd>
    </dl>
  );
}

function TaskRow({ task, onResolve }: { task: TaskView; onResolve: (ticket: TaskTicket) => Promise<boolean> }) {
  const { t, i18n } = useTranslation();
  const ticket = task.ticket;
  return (
    <li className="desk-task" data-testid="desk-task">
      {ticket ? (
        <>
          <a href={ticketLink(ticket.id)} data-testid="desk-task-link" onClick={(e) => { e.preventDefault(); showTicket(ticket.id); }}>
            {t('desk.tasks.open', { number: ticket.number, subject: ticket.subject })}
          </a>
          <span className={`desk-priority desk-priority-${ticket.priority}`}>{t(`desk.tasks.priorities.${ticket.priority}`, { defaultValue: ticket.priority })}</span>
          <span className="desk-muted" data-testid="desk-task-status">{ticket.statusName}</span>
          <span className="desk-muted">{t('desk.tasks.acceptedAt')} {formatClock(task.acceptedAt, i18n.language)}</span>
          <button type="button" data-testid="desk-task-resolve" disabled={!ticket.resolveThrough?.length} title={ticket.resolveThrough?.length ? undefined : t('desk.tasks.cannotResolve')}
            onClick={() => void onResolve(ticket)}>{t('desk.tasks.resolve')}</button>
        </>
      ) : <span className="desk-muted">{t('desk.tasks.ticketUnavailable')}</span>}
    </li>
  );
}

/** The ticket a task link opened, read fresh from the API. */
function TicketPanel({ id, statusName }: { id: string; statusName: string | undefined }) {
  const { t } = useTranslation();
  const [ticket, setTicket] = useState<TicketDetail | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    api<TicketDetail>('GET', `/api/tickets/${encodeURIComponent(id)}`).then((x) => { if (live) setTicket(x); }, () => { if (live) setTicket(null); });
    return () => { live = false; };
  }, [id]);
  const close = () => showTicket(null);
  return (
    <section className="desk-ticket" data-testid="desk-ticket" aria-label={t('desk.tasks.detail')} onKeyDown={(e) => { if (e.key === 'Escape') close(); }}>
      <div className="desk-call-head">
        <h3>{t('desk.tasks.detail')}</h3>
        <button type="button" className="secondary" data-testid="desk-ticket-close" onClick={close}>{t('desk.tasks.close')}</button>
      </div>
      {ticket === undefined && <p className="desk-muted">{t('desk.tasks.loading')}</p>}
      {ticket === null && <p className="desk-muted">{t('desk.tasks.ticketUnavailable')}</p>}
      {ticket && (
        <dl className="facts">
          <dt>{t('desk.tasks.number')}</dt><dd data-testid="desk-ticket-number">#{ticket.number}</dd>
          <dt>{t('desk.tasks.subject')}</dt><dd data-testid="desk-ticket-subject">{ticket.subject}</dd>
          <dt>{t('desk.tasks.status')}</dt><dd data-testid="desk-ticket-status">{statusName ?? ticket.status}</dd>
          <dt>{t('desk.tasks.priority')}</dt><dd>{t(`desk.tasks.priorities.${ticket.priority}`, { defaultValue: ticket.priority })}</dd>
          <dt>{t('desk.tasks.description')}</dt><dd className="desk-ticket-description" data-testid="desk-ticket-description">{ticket.description || t('desk.tasks.noDescription')}</dd>
        </dl>
      )}
    </section>
  );
}
