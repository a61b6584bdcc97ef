// The screen pop: who is calling. The CRM customer owning the caller's number (name, company, tags,
// their open tickets, and recent history from their timeline: contacts, notes, ticket events), a
// form to create the customer when the number is unknown, and the company's own system's answer
// when an external lookup is set up. Everything shown came from callers or customers, so it is
// rendered as text only.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api.ts';
import { NoticeLine, useErrorText, type Notice } from '../../ui/common.tsx';
import type { Customer, OpenTicket, TimelineEntry } from './desk-api.ts';

type Lookup =
  | { kind: 'loading' }
  | { kind: 'found'; customer: Customer; timeline: TimelineEntry[]; tickets: OpenTicket[] | null }
  | { kind: 'unknown' }
  | { kind: 'error'; error: unknown };

/** Tickets someone still works on, or that wait on the customer (status categories of src/tickets). */
const OPEN_CATEGORIES = ['open', 'pending'];

export function ScreenPop({ caller, onCustomer }: { caller: string | null; onCustomer?: (customerId: string | null) => void }) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const [lookup, setLookup] = useState<Lookup>({ kind: 'loading' });
  const [external, setExternal] = useState<Record<string, unknown> | null>(null);
  const [form, setForm] = useState({ name: '', company: '' });
  const [notice, setNotice] = useState<Notice | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    setLookup({ kind: 'loading' });
    setExternal(null);
    if (!caller) { setLookup({ kind: 'unknown' }); return; }
    const phone = encodeURIComponent(caller);
    (async () => {
      try {
        const customer = await api<Customer>('GET', `/api/customers/lookup?phone=${phone}`);
        const [timeline, tickets] = await Promise.all([
          api<{ items: TimelineEntry[] }>('GET', `/api/customers/${customer.id}/timeline?limit=20`).then((r) => r.items, () => []),
          api<{ items: OpenTicket[] }>('GET', `/api/tickets?customer=${encodeURIComponent(customer.id)}&limit=50`)
            .then((r) => r.items.filter((x) => OPEN_CATEGORIES.includes(x.statusCategory)), () => null),
        ]);
        if (live) setLookup({ kind: 'found', customer, timeline, tickets });
      } catch (e) {
        // 404: nobody owns the number; 400: not a number the CRM can read (an extension): both unknown.
        if (!live) return;
        setLookup(e instanceof ApiError && (e.status === 404 || e.status === 400) ? { kind: 'unknown' } : { kind: 'error', error: e });
      }
    })();
    // The company's own system: { ok: true, data } when it knows the caller; not set up, silent or not found: nothing shown.
    api<{ ok?: boolean; data?: unknown }>('GET', `/api/integrations/customer-lookup?phone=${phone}`).then((r) => {
      if (!live || r?.ok !== true || !r.data || typeof r.data !== 'object' || Array.isArray(r.data)) return;
      const data = r.data as Record<string, unknown>;
      if (Object.keys(data).length > 0) setExternal(data);
    }, () => undefined);
    return () => { live = false; };
  }, [caller, tick]);

  useEffect(() => { onCustomer?.(lookup.kind === 'found' ? lookup.customer.id : null); }, [lookup, onCustomer]);

  const create = async () => {
    try {
      await api('POST', '/api/customers', {
        name: form.name.trim(), ...(form.company.trim() ? { company: form.company.trim() } : {}),
        ...(caller ? { identities: [{ kind: 'phone', value: caller }] } : {}),
      });
      setNotice({ kind: 'ok', text: t('desk.pop.created', { name: form.name.trim() }) });
      setForm({ name: '', company: '' });
      setTick((n) => n + 1);
    } catch (e) {
      setNotice({ kind: 'error', text: errorText(e) });
    }
  };

  return (
    <section className="card desk-pop" data-testid="desk-pop" aria-label={t('desk.pop.title')}>
      <h2>{t('desk.pop.title')}</h2>
      <NoticeLine notice={notice} />
      {lookup.kind === 'loading' && <p className="desk-muted">{t('desk.pop.looking')}</p>}
      {lookup.kind === 'error' && <NoticeLine notice={{ kind: 'error', text: errorText(lookup.error) }} />}
      {lookup.kind === 'found' && (
        <div data-testid="desk-customer">
          <p className="desk-customer-name" data-testid="desk-customer-name">{lookup.customer.name ?? t('desk.pop.noName')}</p>
          {lookup.customer.company && <p className="desk-muted" data-testid="desk-customer-company">{lookup.customer.company}</p>}
          {lookup.customer.tags.length > 0 && (
            <ul className="chips" data-testid="desk-customer-tags" aria-label={t('desk.pop.tags')}>
              {lookup.customer.tags.map((tag) => <li key={tag}>{tag}</li>)}
            </ul>
          )}
          {lookup.tickets && (
            <>
              <h3>{t('desk.pop.openTickets')}</h3>
              <ul className="desk-timeline" data-testid="desk-tickets">
                {lookup.tickets.map((x) => (
                  <li key={x.id}><span className="mono">#{x.number}</span> {x.subject} <span className="desk-kind">{x.status}</span></li>
                ))}
                {lookup.tickets.length === 0 && <li className="desk-muted">{t('desk.pop.noTickets')}</li>}
              </ul>
            </>
          )}
          <h3>{t('desk.pop.recent')}</h3>
          <ul className="desk-timeline" data-testid="desk-timeline">
            {lookup.timeline.slice(0, 8).map((e) => (
              <li key={`${e.kind}-${e.id}`}>
                <span className="desk-muted">{new Date(e.at).toLocaleDateString(i18n.language)}</span>{' '}
                <span className="desk-kind">{t(`desk.timelineKinds.${e.kind}`, { defaultValue: e.kind })}</span>{' '}
                {e.summary}
              </li>
            ))}
            {lookup.timeline.length === 0 && <li className="desk-muted">{t('desk.pop.noHistory')}</li>}
          </ul>
        </div>
      )}
      {lookup.kind === 'unknown' && (
        <form className="desk-unknown" data-testid="desk-unknown" onSubmit={(e) => { e.preventDefault(); void create(); }}>
          <p>{t('desk.pop.unknown', { number: caller ?? t('desk.anonymous') })}</p>
          <label>{t('desk.pop.name')}<input name="customerName" required maxLength={200} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></label>
          <label>{t('desk.pop.company')}<input name="customerCompany" maxLength={200} value={form.company} onChange={(e) => setForm({ ...form, company: e.target.value })} /></label>
          <button type="submit" data-testid="desk-create-customer">{t('desk.pop.create')}</button>
        </form>
      )}
      {external && (
        <div className="desk-external" data-testid="desk-external">
          <h3>{t('desk.pop.external')}</h3>
          <dl className="facts">
            {Object.entries(external).filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v)).slice(0, 12).map(([k, v]) => (
              <div key={k} className="desk-fact"><dt>{k}</dt><dd>{String(v)}</dd></div>
            ))}
          </dl>
        </div>
      )}
    </section>
  );
}
