// Staffing: the Erlang C calculator (POST /api/wfm/erlang-c) and a forecast of contacts and agents
// per interval (POST /api/wfm/forecast) from the queue's offered contacts of past weeks
// (GET /api/reports?grain=interval). Definitions and formulas: src/wfm/README.md.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Me } from '../../api.ts';
import { NoticeLine, useLoad } from '../../ui/common.tsx';
import { BarLineChart } from './BarLineChart.tsx';
import { formatValue, KINDS } from './columns.ts';
import { historyAht, historyOf, historyRange, historySpans } from './forecast-history.ts';
import { reportPath } from './report-query.ts';
import { Fact, Field, useFieldError, useReportsErrorText } from './report-ui.tsx';
import { type ErlangCAnswer, type ForecastAnswer, type NamedItem, type Report } from './reports-api.ts';
import {
  DEFAULT_FORECAST, erlangCBody, forecastBody, TARGETS, weeksOf, WORKED_EXAMPLE, type ErlangCDraft, type ForecastDraft, type Target, type TargetDraft,
} from './staffing-form.ts';
import { workspaceDay } from './workspace-day.ts';
import './reports.css';

export function StaffingPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <section className="reports-page" data-testid="staffing-page">
      <div className="page-head"><h1>{t('reports.staffing.title')}</h1></div>
      <p className="reports-lead">{t('reports.staffing.lead')}</p>
      <p className="reports-hint">{t('reports.staffing.keyboard')}</p>
      <ErlangCCalculator />
      {me.permissions.includes('reports.read')
        ? <ForecastPanel me={me} />
        : <p className="card" data-testid="forecast-unavailable">{t('reports.forecast.needsReports')}</p>}
    </section>
  );
}

type Lang = string;
const pct = (v: number | null, lang: Lang) => formatValue(KINDS.Ratio, v, lang);
const secs = (v: number | null, lang: Lang) => formatValue(KINDS.Seconds, v, lang);
const num = (v: number | null, lang: Lang, digits = 2) => (v === null ? '—' : new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(v));

/** The service-level or ASA target fields shared by both forms; `prefix` is where the API has them (e.g. `staffing.`). */
function TargetFields({ d, set, at, prefix, idPrefix }: {
  d: TargetDraft; set: (change: Partial<TargetDraft>) => void; at: (name: string) => string | undefined; prefix: string; idPrefix: string;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="reports-target">
      <legend>{t('reports.staffing.target')}</legend>
      <div className="reports-row">
        <label className="check">
          <input type="radio" name={`${idPrefix}-target`} value={TARGETS.ServiceLevel} checked={d.target === TARGETS.ServiceLevel}
            onChange={() => set({ target: TARGETS.ServiceLevel })} />
          {t('reports.staffing.targetServiceLevel')}
        </label>
        <label className="check">
          <input type="radio" name={`${idPrefix}-target`} value={TARGETS.Asa} checked={d.target === TARGETS.Asa} onChange={() => set({ target: TARGETS.Asa as Target })} />
          {t('reports.staffing.targetAsa')}
        </label>
      </div>
      <div className="reports-row">
        {d.target === TARGETS.ServiceLevel && (
          <Field label={t('reports.staffing.slPercent')} name={`${prefix}serviceLevel.percent`} error={at(`${prefix}serviceLevel.percent`)}>
            <input name={`${prefix}serviceLevel.percent`} inputMode="decimal" value={d.slPercent} onChange={(e) => set({ slPercent: e.target.value })} />
          </Field>
        )}
        <Field label={t('reports.staffing.slSeconds')} name={`${prefix}serviceLevel.seconds`} error={at(`${prefix}serviceLevel.seconds`) ?? at(`${prefix}serviceLevel`)}>
          <input name={`${prefix}serviceLevel.seconds`} inputMode="decimal" value={d.slSeconds} onChange={(e) => set({ slSeconds: e.target.value })} />
        </Field>
        {d.target === TARGETS.Asa && (
          <Field label={t('reports.staffing.asaTarget')} name={`${prefix}asaSeconds`} error={at(`${prefix}asaSeconds`)}>
            <input name={`${prefix}asaSeconds`} inputMode="decimal" value={d.asaSeconds} onChange={(e) => set({ asaSeconds: e.target.value })} />
          </Field>
        )}
      </div>
    </fieldset>
  );
}

const ERLANG_FIELDS = ['callsPerInterval', 'intervalSeconds', 'ahtSeconds', 'serviceLevel', 'serviceLevel.percent', 'serviceLevel.seconds', 'asaSeconds', 'shrinkage', 'maxOccupancy', 'agents'];

function ErlangCCalculator() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [d, setD] = useState<ErlangCDraft>(WORKED_EXAMPLE);
  const [answer, setAnswer] = useState<{ body: Record<string, unknown>; result: ErlangCAnswer } | null>(null);
  const [busy, setBusy] = useState(false);
  const err = useFieldError(ERLANG_FIELDS);
  const set = (change: Partial<ErlangCDraft>) => setD((x) => ({ ...x, ...change }));

  const calculate = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const body = erlangCBody(d);
    try {
      setAnswer({ body, result: await api<ErlangCAnswer>('POST', '/api/wfm/erlang-c', body) });
      err.clear();
    } catch (ex) {
      setAnswer(null);
      err.set(ex);
    } finally {
      setBusy(false);
    }
  };
  const r = answer?.result;

  return (
    <form className="card reports-form" noValidate onSubmit={(e) => void calculate(e)} data-testid="erlang-form">
      <h2>{t('reports.erlang.title')}</h2>
      <p className="reports-hint">{t('reports.erlang.hint')}</p>
      <div className="reports-row">
        <Field label={t('reports.erlang.calls')} name="callsPerInterval" error={err.at('callsPerInterval')}>
          <input name="callsPerInterval" inputMode="decimal" value={d.callsPerInterval} onChange={(e) => set({ callsPerInterval: e.target.value })} />
        </Field>
        <Field label={t('reports.erlang.intervalMinutes')} name="intervalSeconds" error={err.at('intervalSeconds')}>
          <input name="intervalSeconds" inputMode="decimal" value={d.intervalMinutes} onChange={(e) => set({ intervalMinutes: e.target.value })} />
        </Field>
        <Field label={t('reports.erlang.aht')} name="ahtSeconds" error={err.at('ahtSeconds')}>
          <input name="ahtSeconds" inputMode="decimal" value={d.ahtSeconds} onChange={(e) => set({ ahtSeconds: e.target.value })} />
        </Field>
      </div>
      <TargetFields d={d} set={set} at={err.at} prefix="" idPrefix="erlang" />
      <div className="reports-row">
        <Field label={t('reports.staffing.shrinkage')} name="shrinkage" error={err.at('shrinkage')} hint={t('reports.staffing.shrinkageHint')}>
          <input name="shrinkage" inputMode="decimal" value={d.shrinkagePercent} onChange={(e) => set({ shrinkagePercent: e.target.value })} />
        </Field>
        <Field label={t('reports.erlang.maxOccupancy')} name="maxOccupancy" error={err.at('maxOccupancy')} hint={t('reports.erlang.optional')}>
          <input name="maxOccupancy" inputMode="decimal" value={d.maxOccupancyPercent} onChange={(e) => set({ maxOccupancyPercent: e.target.value })} />
        </Field>
        <Field label={t('reports.erlang.agents')} name="agents" error={err.at('agents')} hint={t('reports.erlang.agentsHint')}>
          <input name="agents" inputMode="numeric" value={d.agents} onChange={(e) => set({ agents: e.target.value })} />
        </Field>
      </div>
      {err.general && <NoticeLine notice={{ kind: 'error', text: err.general }} />}
      <div className="buttons">
        <button type="submit" data-testid="erlang-run" disabled={busy}>{t('reports.erlang.run')}</button>
        <button type="button" className="secondary" data-testid="erlang-example" onClick={() => { setD(WORKED_EXAMPLE); err.clear(); }}>{t('reports.erlang.example')}</button>
      </div>
      {r && (
        <div className="reports-answer" data-testid="erlang-result" aria-live="polite">
          {!r.stable && <p className="notice notice-error" role="alert" data-testid="erlang-unstable">{t('reports.erlang.unstable')}</p>}
          <dl className="reports-facts">
            <Fact id="erlangs" label={t('reports.erlang.erlangs')} value={r.erlangs} text={num(r.erlangs, lang, 3)} />
            <Fact id="agentsNeeded" label={t('reports.erlang.agentsNeeded')} value={r.agentsNeeded} text={num(r.agentsNeeded, lang)} />
            <Fact id="scheduledAgentsNeeded" label={t('reports.erlang.scheduled')} value={r.scheduledAgentsNeeded} text={num(r.scheduledAgentsNeeded, lang)} />
            <Fact id="agents" label={t('reports.erlang.evaluated')} value={r.agents} text={num(r.agents, lang)} />
            <Fact id="probabilityOfWaiting" label={t('reports.erlang.pw')} value={r.probabilityOfWaiting} text={pct(r.probabilityOfWaiting, lang)} />
            <Fact id="serviceLevel" label={r.serviceLevel ? t('reports.erlang.serviceLevelWithin', { seconds: num(r.serviceLevel.seconds, lang) }) : t('reports.columns.serviceLevel')}
              value={r.serviceLevel?.percent ?? null} text={r.serviceLevel ? pct(r.serviceLevel.percent / 100, lang) : '—'} />
            <Fact id="asaSeconds" label={t('reports.columns.asaSeconds')} value={r.asaSeconds} text={r.asaSeconds === null ? t('reports.erlang.infinite') : secs(r.asaSeconds, lang)} />
            <Fact id="occupancy" label={t('reports.columns.occupancy')} value={r.occupancy} text={pct(r.occupancy, lang)} />
          </dl>
        </div>
      )}
    </form>
  );
}

const FORECAST_FIELDS = [
  'queueId', 'weeks', 'intervalMinutes', 'horizonDays', 'staffing.ahtSeconds', 'staffing.serviceLevel', 'staffing.serviceLevel.percent',
  'staffing.serviceLevel.seconds', 'staffing.asaSeconds', 'staffing.shrinkage',
];

interface ForecastShown { answer: ForecastAnswer; history: { from: string; to: string; contacts: number; ahtSeconds: number | null }; draft: ForecastDraft }

function ForecastPanel({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const errorText = useReportsErrorText();
  const day = useLoad(() => workspaceDay());
  const queues = useLoad(() => (me.permissions.includes('queues.read') ? api<{ items: NamedItem[] }>('GET', '/api/queues') : Promise.resolve({ items: [] })));
  const [d, setD] = useState<ForecastDraft>(DEFAULT_FORECAST);
  const [shown, setShown] = useState<ForecastShown | null>(null);
  const [busy, setBusy] = useState(false);
  const [weeksError, setWeeksError] = useState<string>();
  const err = useFieldError(FORECAST_FIELDS);
  const set = (change: Partial<ForecastDraft>) => setD((x) => ({ ...x, ...change }));

  const run = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!day.data) return;
    const weeks = weeksOf(d.weeks);
    setWeeksError(weeks === null ? t('reports.forecast.weeksInvalid') : undefined);
    if (weeks === null) return;
    setBusy(true);
    try {
      const { today, timeZone } = day.data;
      const range = historyRange(today, weeks);
      const interval = Number(d.intervalMinutes) as 15 | 30 | 60;
      // Every queue: the channel rows count each customer once, however many queues they passed through.
      const reports = await Promise.all(historySpans(range).map((s) => api<Report>('GET', reportPath({
        by: d.queueId === '' ? 'channel' : 'queue', grain: 'interval', interval, from: s.from, to: s.to, keys: d.queueId === '' ? [] : [d.queueId],
      }))));
      const history = historyOf(reports);
      const answer = await api<ForecastAnswer>('POST', '/api/wfm/forecast', forecastBody(d, history, timeZone));
      err.clear();
      setShown({ answer, draft: d, history: { ...range, contacts: history.reduce((a, h) => a + h.contacts, 0), ahtSeconds: historyAht(reports) } });
    } catch (ex) {
      setShown(null);
      err.set(ex);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card reports-form" noValidate onSubmit={(e) => void run(e)} data-testid="forecast-form">
      <h2>{t('reports.forecast.title')}</h2>
      <p className="reports-hint">{t('reports.forecast.hint')}</p>
      {day.error !== undefined && <NoticeLine notice={{ kind: 'error', text: errorText(day.error) }} />}
      <div className="reports-row">
        <Field label={t('reports.dimensions.queue')} name="queueId" error={err.at('queueId')}>
          <select name="queueId" value={d.queueId} onChange={(e) => set({ queueId: e.target.value })}>
            <option value="">{t('reports.forecast.allQueues')}</option>
            {(queues.data?.items ?? []).map((q) => <option key={q.id} value={q.id}>{q.name}</option>)}
          </select>
        </Field>
        <Field label={t('reports.forecast.weeks')} name="weeks" error={weeksError ?? err.at('weeks')}>
          <input name="weeks" inputMode="numeric" value={d.weeks} onChange={(e) => set({ weeks: e.target.value })} />
        </Field>
        <Field label={t('reports.forecast.interval')} name="intervalMinutes" error={err.at('intervalMinutes')}>
          <select name="intervalMinutes" value={d.intervalMinutes} onChange={(e) => set({ intervalMinutes: e.target.value as ForecastDraft['intervalMinutes'] })}>
            {(['15', '30', '60'] as const).map((m) => <option key={m} value={m}>{t(`reports.grains.interval-${m}`)}</option>)}
          </select>
        </Field>
        <Field label={t('reports.forecast.horizonDays')} name="horizonDays" error={err.at('horizonDays')}>
          <input name="horizonDays" inputMode="numeric" value={d.horizonDays} onChange={(e) => set({ horizonDays: e.target.value })} />
        </Field>
      </div>
      <div className="reports-row">
        <Field label={t('reports.erlang.aht')} name="staffing.ahtSeconds" error={err.at('staffing.ahtSeconds')}
          hint={shown && shown.history.ahtSeconds !== null ? t('reports.forecast.historyAht', { aht: secs(shown.history.ahtSeconds, lang) }) : undefined}>
          <input name="staffing.ahtSeconds" inputMode="decimal" value={d.ahtSeconds} onChange={(e) => set({ ahtSeconds: e.target.value })} />
        </Field>
        <Field label={t('reports.staffing.shrinkage')} name="staffing.shrinkage" error={err.at('staffing.shrinkage')} hint={t('reports.staffing.shrinkageHint')}>
          <input name="staffing.shrinkage" inputMode="decimal" value={d.shrinkagePercent} onChange={(e) => set({ shrinkagePercent: e.target.value })} />
        </Field>
      </div>
      <TargetFields d={d} set={set} at={err.at} prefix="staffing." idPrefix="forecast" />
      {err.general && <NoticeLine notice={{ kind: 'error', text: err.general }} />}
      <div className="buttons"><button type="submit" data-testid="forecast-run" disabled={busy || !day.data}>{busy ? t('reports.forecast.running') : t('reports.forecast.run')}</button></div>
      {shown && <ForecastResult shown={shown} lang={lang} />}
    </form>
  );
}

function ForecastResult({ shown, lang }: { shown: ForecastShown; lang: Lang }) {
  const { t } = useTranslation();
  const { answer, history } = shown;
  const intervals = answer.intervals;
  const local = (iso: string) => iso.slice(0, 16).replace('T', ' ');
  const total = intervals.reduce((a, i) => a + i.contacts, 0);
  const peak = intervals.reduce((a, i) => Math.max(a, i.staffing?.agents ?? 0), 0);
  const oneDay = new Set(intervals.map((i) => i.localStart.slice(0, 10))).size <= 1;
  return (
    <div className="reports-answer" data-testid="forecast-result">
      <p className="reports-history" data-testid="forecast-history" data-value={history.contacts}>
        {t('reports.forecast.historyText', { from: history.from, to: history.to, contacts: num(history.contacts, lang) })}
      </p>
      <dl className="reports-facts">
        <Fact id="trend" label={t('reports.forecast.trend')} value={answer.trend} text={num(answer.trend, lang, 3)} />
        <Fact id="total" label={t('reports.forecast.totalContacts')} value={total} text={num(total, lang, 1)} />
        <Fact id="peak" label={t('reports.forecast.peakAgents')} value={peak} text={num(peak, lang)} />
      </dl>
      <BarLineChart
        testId="forecast-chart"
        label={t('reports.forecast.chartLabel')}
        ticks={intervals.map((i) => (oneDay ? i.localStart.slice(11, 16) : `${i.localStart.slice(5, 10)} ${i.localStart.slice(11, 16)}`))}
        titles={intervals.map((i) => local(i.localStart))}
        bars={[{ name: t('reports.forecast.contacts'), values: intervals.map((i) => i.contacts) }]}
        barFormat={(v) => num(v, lang, 1)}
        line={{ name: t('reports.forecast.agents'), values: intervals.map((i) => i.staffing?.agents ?? null), format: (v) => num(v, lang, 0), whole: true }}
      />
      <div className="reports-scroll" tabIndex={0} role="region" aria-label={t('reports.forecast.tableLabel')}>
        <table className="grid reports-table" data-testid="forecast-table">
          <thead>
            <tr>
              <th scope="col">{t('reports.forecast.start')}</th><th scope="col">{t('reports.forecast.contacts')}</th>
              <th scope="col">{t('reports.forecast.erlangs')}</th><th scope="col">{t('reports.forecast.agents')}</th>
              <th scope="col">{t('reports.forecast.scheduled')}</th><th scope="col">{t('reports.columns.serviceLevel')}</th>
              <th scope="col">{t('reports.columns.asaSeconds')}</th><th scope="col">{t('reports.columns.occupancy')}</th>
            </tr>
          </thead>
          <tbody>
            {intervals.map((i) => (
              <tr key={i.start} data-testid="forecast-row" data-start={i.start}>
                <th scope="row" className="reports-period">{local(i.localStart)}</th>
                <td className="reports-num" data-column="contacts" data-value={i.contacts}>{num(i.contacts, lang, 1)}</td>
                <td className="reports-num" data-column="erlangs" data-value={i.staffing?.erlangs ?? 'null'}>{num(i.staffing?.erlangs ?? null, lang)}</td>
                <td className="reports-num" data-column="agents" data-value={i.staffing?.agents ?? 'null'}>{num(i.staffing?.agents ?? null, lang)}</td>
                <td className="reports-num" data-column="scheduledAgents" data-value={i.staffing?.scheduledAgents ?? 'null'}>{num(i.staffing?.scheduledAgents ?? null, lang)}</td>
                <td className="reports-num" data-column="serviceLevel">{pct(i.staffing?.serviceLevel ?? null, lang)}</td>
                <td className="reports-num" data-column="asaSeconds">{secs(i.staffing?.asaSeconds ?? null, lang)}</td>
                <td className="reports-num" data-column="occupancy">{pct(i.staffing?.occupancy ?? null, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
