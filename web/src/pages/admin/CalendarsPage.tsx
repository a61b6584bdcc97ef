// Business calendars: weekly opening hours per day, holidays (closed, or with hours of their own),
// in one IANA time zone; each shows whether it is open now and when that changes, on its own clock.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Me } from '../../api.ts';
import { NoticeLine, useLoad, type Notice } from '../../ui/common.tsx';
import { adminApi, WEEKDAYS, type Calendar, type CalendarStatus, type Holiday, type OpeningRange, type Weekday } from './admin-api.ts';
import { Field, FormMessage, useAdminErrorText, useFormError } from './admin-ui.tsx';

const ZONES: readonly string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** An instant on a calendar's own clock, e.g. "Mon 18:00". */
function onClock(iso: string, timeZone: string, lang: string): string {
  try {
    return new Intl.DateTimeFormat(lang, { timeZone, weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
  } catch {
    return iso;
  }
}

export function CalendarsPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const errorText = useAdminErrorText();
  const canWrite = me.permissions.includes('calendars.manage');
  const calendars = useLoad(async () => {
    const list = await adminApi<{ items: Calendar[] }>('GET', '/api/calendars');
    const statuses = await Promise.all(list.items.map((c) => adminApi<CalendarStatus>('GET', `/api/calendars/${c.id}/status`).catch(() => null)));
    return list.items.map((c, i) => ({ calendar: c, status: statuses[i] ?? null }));
  });
  const [editing, setEditing] = useState<Calendar | 'new' | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  const remove = async (c: Calendar) => {
    if (!confirm(t('admin.calendars.deleteConfirm', { name: c.name }))) return;
    try {
      await adminApi('DELETE', `/api/calendars/${c.id}`);
      setNotice({ kind: 'ok', text: t('admin.calendars.deleted', { name: c.name }) });
      calendars.reload();
    } catch (e) {
      setNotice({ kind: 'error', text: errorText(e) });
    }
  };

  return (
    <section className="admin-page">
      <div className="page-head">
        <h1>{t('admin.calendars.title')}</h1>
        {canWrite && <button type="button" data-testid="new-calendar" onClick={() => { setNotice(null); setEditing('new'); }}>{t('admin.calendars.new')}</button>}
      </div>
      <p className="admin-lead">{t('admin.calendars.lead')}</p>
      <NoticeLine notice={notice ?? (calendars.error ? { kind: 'error', text: errorText(calendars.error) } : null)} />
      {editing && (
        <CalendarForm key={editing === 'new' ? 'new' : editing.id} calendar={editing === 'new' ? null : editing} onCancel={() => setEditing(null)}
          onSaved={(c) => { setEditing(null); setNotice({ kind: 'ok', text: t('admin.calendars.saved', { name: c.name }) }); calendars.reload(); }} />
      )}
      <div className="admin-cards">
        {calendars.data?.length === 0 && <p>{t('admin.calendars.none')}</p>}
        {calendars.data?.map(({ calendar: c, status }) => <CalendarCard key={c.id} c={c} status={status} canWrite={canWrite} onEdit={() => { setNotice(null); setEditing(c); }} onDelete={() => void remove(c)} />)}
      </div>
    </section>
  );
}

function CalendarCard({ c, status, canWrite, onEdit, onDelete }: { c: Calendar; status: CalendarStatus | null; canWrite: boolean; onEdit: () => void; onDelete: () => void }) {
  const { t, i18n } = useTranslation();
  const hours = (r: OpeningRange[]) => (r.length ? r.map((x) => `${x.start}–${x.end}`).join(', ') : t('admin.calendars.closed'));
  return (
    <article className="card admin-calendar" data-testid={`calendar-${c.name}`}>
      <div className="page-head">
        <h2>{c.name}</h2>
        {canWrite && (
          <span className="actions">
            <button type="button" onClick={onEdit}>{t('users.edit')}</button>
            <button type="button" onClick={onDelete}>{t('teams.delete')}</button>
          </span>
        )}
      </div>
      <p className="mono">{c.timeZone}</p>
      {status && (
        <p className={`admin-status ${status.open ? 'admin-status-open' : 'admin-status-closed'}`} data-testid={`calendar-status-${c.name}`}>
          {status.open ? t('admin.calendars.openNow') : t('admin.calendars.closedNow')}
          {status.nextChange
            ? ` · ${t(status.open ? 'admin.calendars.closesAt' : 'admin.calendars.opensAt', { at: onClock(status.nextChange, c.timeZone, i18n.language) })}`
            : ` · ${t('admin.calendars.noChange')}`}
        </p>
      )}
      <dl className="facts">
        {WEEKDAYS.map((d) => <FactRow key={d} term={t(`admin.calendars.days.${d}`)} value={hours(c.weekly[d])} />)}
      </dl>
      {c.holidays.length > 0 && (
        <>
          <h3>{t('admin.calendars.holidays')}</h3>
          <ul className="admin-holidays">
            {c.holidays.map((h) => <li key={h.date} data-testid={`holiday-${h.date}`}><span className="mono">{h.date}</span> {h.name} — {h.hours?.length ? hours(h.hours) : t('admin.calendars.closedAllDay')}</li>)}
          </ul>
        </>
      )}
    </article>
  );
}

function FactRow({ term, value }: { term: string; value: string }) {
  return <><dt>{term}</dt><dd>{value}</dd></>;
}

interface HolidayDraft { date: string; name: string; special: boolean; hours: OpeningRange[] }

function RangeRows({ ranges, onChange, name }: { ranges: OpeningRange[]; onChange: (r: OpeningRange[]) => void; name: string }) {
  const { t } = useTranslation();
  return (
    <div className="admin-ranges" data-testid={`ranges-${name}`}>
      {ranges.length === 0 && <span className="admin-hint">{t('admin.calendars.closed')}</span>}
      {ranges.map((r, i) => (
        <span key={i} className="admin-range">
          <input name={`${name}-start-${i}`} aria-label={t('admin.calendars.from')} className="admin-time" inputMode="numeric" placeholder="09:00" value={r.start}
            onChange={(e) => onChange(ranges.map((x, j) => (j === i ? { ...x, start: e.target.value } : x)))} />
          –
          <input name={`${name}-end-${i}`} aria-label={t('admin.calendars.to')} className="admin-time" inputMode="numeric" placeholder="18:00" value={r.end}
            onChange={(e) => onChange(ranges.map((x, j) => (j === i ? { ...x, end: e.target.value } : x)))} />
          <button type="button" className="secondary admin-chip-remove" aria-label={t('admin.calendars.removeRange')} onClick={() => onChange(ranges.filter((_, j) => j !== i))}>×</button>
        </span>
      ))}
      <button type="button" className="secondary" data-testid={`add-range-${name}`} onClick={() => onChange([...ranges, { start: ranges.at(-1)?.end ?? '09:00', end: '18:00' }])}>{t('admin.calendars.addRange')}</button>
    </div>
  );
}

function CalendarForm({ calendar, onSaved, onCancel }: { calendar: Calendar | null; onSaved: (c: Calendar) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const office: OpeningRange[] = [{ start: '09:00', end: '18:00' }];
  const [name, setName] = useState(calendar?.name ?? '');
  const [timeZone, setTimeZone] = useState(calendar?.timeZone ?? browserZone);
  const [weekly, setWeekly] = useState<Record<Weekday, OpeningRange[]>>(calendar?.weekly ?? { mon: office, tue: office, wed: office, thu: office, fri: office, sat: [], sun: [] });
  const [holidays, setHolidays] = useState<HolidayDraft[]>((calendar?.holidays ?? []).map((h) => ({ date: h.date, name: h.name, special: !!h.hours?.length, hours: h.hours ?? [] })));
  const fields = ['name', 'timeZone', 'weekly', ...WEEKDAYS.map((d) => `weekly.${d}`), 'holidays', ...holidays.map((_, i) => `holidays.${i}`)];
  const err = useFormError(fields);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const body = {
      name: name.trim(), timeZone: timeZone.trim(), weekly,
      holidays: holidays.map((h): Holiday => ({ date: h.date, name: h.name.trim(), ...(h.special ? { hours: h.hours } : {}) })),
    };
    try {
      const c = calendar ? await adminApi<Calendar>('PUT', `/api/calendars/${calendar.id}`, body) : await adminApi<Calendar>('POST', '/api/calendars', body);
      onSaved(c);
    } catch (ex) {
      err.set(ex);
    }
  };
  const setHoliday = (i: number, h: HolidayDraft) => setHolidays(holidays.map((x, j) => (j === i ? h : x)));

  return (
    <form className="card form" noValidate data-testid="calendar-form" onSubmit={(e) => void save(e)} onKeyDown={(e) => { if (e.key === 'Escape') onCancel(); }}>
      <h2>{calendar ? t('admin.calendars.editTitle', { name: calendar.name }) : t('admin.calendars.new')}</h2>
      <div className="admin-grid-2">
        <Field label={t('admin.calendars.name')} name="name" error={err.at('name')}>
          <input name="name" autoFocus value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t('admin.calendars.timeZone')} name="timeZone" error={err.at('timeZone')} hint={t('admin.calendars.timeZoneHint')}>
          <input name="timeZone" list="admin-time-zones" autoComplete="off" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />
        </Field>
        <datalist id="admin-time-zones">{ZONES.map((z) => <option key={z} value={z} />)}</datalist>
      </div>
      <fieldset>
        <legend>{t('admin.calendars.weekly')}</legend>
        <p className="admin-hint">{t('admin.calendars.weeklyHint')}</p>
        <table className="admin-week">
          <tbody>
            {WEEKDAYS.map((d) => (
              <tr key={d}>
                <th scope="row">{t(`admin.calendars.days.${d}`)}</th>
                <td>
                  <RangeRows name={d} ranges={weekly[d]} onChange={(r) => setWeekly({ ...weekly, [d]: r })} />
                  {err.at(`weekly.${d}`) && <span className="admin-field-error" role="alert" data-testid={`field-error-weekly.${d}`}>{err.at(`weekly.${d}`)}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" className="secondary" onClick={() => setWeekly({ ...weekly, tue: weekly.mon, wed: weekly.mon, thu: weekly.mon, fri: weekly.mon })}>{t('admin.calendars.copyMonday')}</button>
        {err.at('weekly') && <span className="admin-field-error" role="alert" data-testid="field-error-weekly">{err.at('weekly')}</span>}
      </fieldset>
      <fieldset>
        <legend>{t('admin.calendars.holidays')}</legend>
        {holidays.length === 0 && <p className="admin-hint">{t('admin.calendars.noHolidays')}</p>}
        {holidays.map((h, i) => (
          <div key={i} className="admin-holiday" data-testid="holiday-row">
            <div className="form inline">
              <Field label={t('admin.calendars.date')} name={`holidays.${i}`} error={err.at(`holidays.${i}`)}>
                <input name={`holiday-date-${i}`} type="date" value={h.date} onChange={(e) => setHoliday(i, { ...h, date: e.target.value })} />
              </Field>
              <label>{t('admin.calendars.holidayName')}<input name={`holiday-name-${i}`} value={h.name} onChange={(e) => setHoliday(i, { ...h, name: e.target.value })} /></label>
              <label className="check"><input type="checkbox" name={`holiday-special-${i}`} checked={h.special} onChange={(e) => setHoliday(i, { ...h, special: e.target.checked, hours: e.target.checked && h.hours.length === 0 ? [{ start: '10:00', end: '16:00' }] : h.hours })} />{t('admin.calendars.specialHours')}</label>
              <button type="button" className="secondary" onClick={() => setHolidays(holidays.filter((_, j) => j !== i))}>{t('admin.common.remove')}</button>
            </div>
            {h.special ? <RangeRows name={`holiday-${i}`} ranges={h.hours} onChange={(hours) => setHoliday(i, { ...h, hours })} /> : <span className="admin-hint">{t('admin.calendars.closedAllDay')}</span>}
          </div>
        ))}
        <button type="button" className="secondary" data-testid="add-holiday" onClick={() => setHolidays([...holidays, { date: '', name: '', special: false, hours: [] }])}>{t('admin.calendars.addHoliday')}</button>
        {err.at('holidays') && <span className="admin-field-error" role="alert" data-testid="field-error-holidays">{err.at('holidays')}</span>}
      </fieldset>
      <FormMessage text={err.general} />
      <div className="buttons">
        <button type="submit" data-testid="save-calendar">{calendar ? t('users.save') : t('admin.calendars.create')}</button>
        <button type="button" className="secondary" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}
