// Historical reports (GET /api/reports): a dimension, a grain and a range of the workspace's local
// dates, optionally some keys; the figures per period and key with totals, a chart over the
// periods, the same report as a CSV download, and the time agents spent per state and reason code.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Me, type Team, type User } from '../../api.ts';
import { NoticeLine, useLoad } from '../../ui/common.tsx';
import { AgentStatesSection } from './AgentStatesSection.tsx';
import { BarLineChart } from './BarLineChart.tsx';
import { chartData, periodTexts, tickText } from './chart-data.ts';
import { columnsOf, defaultGroups, formatColumn, GROUPS, KINDS, formatValue, type ColumnGroup } from './columns.ts';
import { thisMonthRange, thisWeekRange, todayRange, type DateRange } from './dates.ts';
import { fromGrainChoice, GRAIN_CHOICES, grainChoice, reportPath, type GrainChoice, type ReportParams } from './report-query.ts';
import { Field, useFieldError, useReportsErrorText } from './report-ui.tsx';
import { DIMENSIONS, type Dimension, type NamedItem, type Report, type ReportRow } from './reports-api.ts';
import { workspaceDay } from './workspace-day.ts';
import './reports.css';

export function ReportsPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const errorText = useReportsErrorText();
  const day = useLoad(() => workspaceDay());
  return (
    <section className="reports-page" data-testid="reports-page">
      <div className="page-head">
        <h1>{t('reports.title')}</h1>
        {day.data && <span className="reports-zone" data-testid="reports-zone">{t('reports.timeZone', { zone: day.data.timeZone })}</span>}
      </div>
      {day.error !== undefined && <NoticeLine notice={{ kind: 'error', text: errorText(day.error) }} />}
      {day.data && <ReportsView me={me} today={day.data.today} />}
    </section>
  );
}

const FORM_FIELDS = ['by', 'grain', 'from', 'to', 'keys'] as const;
// The server names `interval` for the minutes, which the grain choice sets.
const ALIASES = { interval: 'grain' } as const;

/** The keys a dimension can be narrowed to: the directory's (where readable), then any seen in reports. */
function useKeyOptions(me: Me, seen: ReadonlyMap<Dimension, ReadonlyMap<string, string>>): (by: Dimension) => NamedItem[] {
  const can = (p: string) => me.permissions.includes(p);
  const queues = useLoad(() => (can('queues.read') ? api<{ items: NamedItem[] }>('GET', '/api/queues') : Promise.resolve({ items: [] })));
  const users = useLoad(() => (can('users.read') ? api<{ items: User[] }>('GET', '/api/users') : Promise.resolve({ items: [] as User[] })));
  const teams = useLoad(() => (can('teams.read') ? api<{ items: Team[] }>('GET', '/api/teams') : Promise.resolve({ items: [] as Team[] })));
  return useCallback((by: Dimension) => {
    const out = new Map<string, string>();
    if (by === 'queue') for (const q of queues.data?.items ?? []) out.set(q.id, q.name);
    if (by === 'agent') for (const u of users.data?.items ?? []) if (u.roles.includes('agent')) out.set(u.id, u.displayName);
    if (by === 'team') for (const x of teams.data?.items ?? []) out.set(x.id, x.name);
    for (const [k, name] of seen.get(by) ?? []) if (!out.has(k)) out.set(k, name);
    return [...out].map(([id, name]) => ({ id, name }));
  }, [queues.data, users.data, teams.data, seen]);
}

function ReportsView({ me, today }: { me: Me; today: string }) {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState<ReportParams>({ by: 'queue', grain: 'day', interval: 15, ...thisWeekRange(today), keys: [] });
  const [shown, setShown] = useState<{ params: ReportParams; report: Report } | null>(null);
  const [groups, setGroups] = useState<ColumnGroup[]>(defaultGroups('queue'));
  const [chartKey, setChartKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [seen, setSeen] = useState<ReadonlyMap<Dimension, ReadonlyMap<string, string>>>(new Map());
  const err = useFieldError(FORM_FIELDS, ALIASES);
  const keyOptions = useKeyOptions(me, seen);
  const shownBy = useRef<Dimension | null>(null);

  const run = useCallback(async (p: ReportParams) => {
    setBusy(true);
    try {
      const report = await api<Report>('GET', reportPath(p));
      err.clear();
      if (shownBy.current !== p.by) setGroups(defaultGroups(p.by));
      shownBy.current = p.by;
      setShown({ params: p, report });
      setChartKey((k) => (report.totals.some((r) => r.key === k) ? k : report.totals[0]?.key ?? ''));
      setSeen((s) => {
        const next = new Map(s);
        const names = new Map(s.get(p.by) ?? []);
        for (const r of report.totals) names.set(r.key, r.name);
        next.set(p.by, names);
        return next;
      });
    } catch (e) {
      err.set(e);
    } finally {
      setBusy(false);
    }
  }, [err]);

  useEffect(() => { void run(draft); }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const setRange = (r: DateRange) => setDraft((d) => ({ ...d, ...r }));
  const options = keyOptions(draft.by);
  const toggleKey = (k: string) => setDraft((d) => ({ ...d, keys: d.keys.includes(k) ? d.keys.filter((x) => x !== k) : [...d.keys, k] }));

  return (
    <>
      <form className="card reports-form" noValidate data-testid="report-form" onSubmit={(e) => { e.preventDefault(); void run(draft); }}>
        <div className="reports-row">
          <Field label={t('reports.form.by')} name="by" error={err.at('by')}>
            <select name="by" value={draft.by} onChange={(e) => setDraft((d) => ({ ...d, by: e.target.value as Dimension, keys: [] }))}>
              {DIMENSIONS.map((d) => <option key={d} value={d}>{t(`reports.dimensions.${d}`)}</option>)}
            </select>
          </Field>
          <Field label={t('reports.form.grain')} name="grain" error={err.at('grain')}>
            <select name="grain" value={grainChoice(draft)} onChange={(e) => setDraft((d) => ({ ...d, ...fromGrainChoice(e.target.value as GrainChoice) }))}>
              {GRAIN_CHOICES.map((g) => <option key={g} value={g}>{t(`reports.grains.${g}`)}</option>)}
            </select>
          </Field>
          <Field label={t('reports.form.from')} name="from" error={err.at('from')}>
            <input type="date" name="from" value={draft.from} onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))} />
          </Field>
          <Field label={t('reports.form.to')} name="to" error={err.at('to')}>
            <input type="date" name="to" value={draft.to} onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))} />
          </Field>
          <div className="reports-quick" role="group" aria-label={t('reports.form.quick')}>
            <button type="button" className="secondary" data-testid="range-today" onClick={() => setRange(todayRange(today))}>{t('reports.form.today')}</button>
            <button type="button" className="secondary" data-testid="range-week" onClick={() => setRange(thisWeekRange(today))}>{t('reports.form.thisWeek')}</button>
            <button type="button" className="secondary" data-testid="range-month" onClick={() => setRange(thisMonthRange(today))}>{t('reports.form.thisMonth')}</button>
          </div>
        </div>
        <fieldset className="reports-keys" data-testid="report-keys">
          <legend>{t('reports.form.keys')}</legend>
          {options.length === 0 && <p className="reports-hint">{t('reports.form.noKeys')}</p>}
          {options.map((o) => (
            <label key={o.id} className="check">
              <input type="checkbox" name={`key-${o.id}`} checked={draft.keys.includes(o.id)} onChange={() => toggleKey(o.id)} />
              {keyName(t, draft.by, o.id, o.name)}
            </label>
          ))}
          {err.at('keys') && <span className="reports-field-error" role="alert" data-testid="field-error-keys">{err.at('keys')}</span>}
        </fieldset>
        {err.general && <NoticeLine notice={{ kind: 'error', text: err.general }} />}
        <div className="buttons">
          <button type="submit" data-testid="report-run" disabled={busy}>{t('reports.form.run')}</button>
        </div>
        <p className="reports-hint">{t('reports.keyboard')}</p>
      </form>
      {shown && (
        <ReportResult report={shown.report} params={shown.params} groups={groups} setGroups={setGroups} chartKey={chartKey} setChartKey={setChartKey} lang={i18n.language} />
      )}
      {shown && <AgentStatesSection params={shown.params} />}
    </>
  );
}

const wholePercent = (v: number, lang: string) => new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(v);

type T = ReturnType<typeof useTranslation>['t'];

/** A key as people read it: the disposition '' is "no disposition". */
function keyName(t: T, by: Dimension, key: string, name: string): string {
  if (by === 'disposition' && key === '') return t('reports.noDisposition');
  return name;
}

function ReportResult({ report, params, groups, setGroups, chartKey, setChartKey, lang }: {
  report: Report; params: ReportParams; groups: ColumnGroup[]; setGroups: (g: ColumnGroup[]) => void; chartKey: string; setChartKey: (k: string) => void; lang: string;
}) {
  const { t } = useTranslation();
  const columns = columnsOf(groups);
  const texts = useMemo(() => periodTexts(report.periods), [report.periods]);
  const chart = useMemo(() => (chartKey === '' ? null : chartData(report, chartKey)), [report, chartKey]);
  const oneDay = report.from === report.to;
  const chartName = report.totals.find((r) => r.key === chartKey);
  const toggleGroup = (g: ColumnGroup) => setGroups(groups.includes(g) ? groups.filter((x) => x !== g) : [...groups, g]);

  return (
    <div className="card reports-result" data-testid="report-result" data-by={report.by} data-grain={report.grain} data-interval={report.intervalMinutes ?? ''}
      data-from={report.from} data-to={report.to} data-keys={params.keys.join(',')}>
      <div className="reports-result-head">
        <h2>{t('reports.result.title', { by: t(`reports.dimensions.${report.by}`), from: report.from, to: report.to })}</h2>
        <a className="reports-download" href={reportPath(params, 'csv')} download data-testid="report-csv">{t('reports.result.csv')}</a>
      </div>
      {report.totals.length === 0 && <p data-testid="report-empty">{t('reports.result.empty')}</p>}
      {chart && chartName && (
        <>
          {report.totals.length > 1 && (
            <label className="reports-inline">
              <span>{t('reports.result.chartOf')}</span>
              <select name="chartKey" value={chartKey} onChange={(e) => setChartKey(e.target.value)}>
                {report.totals.map((r) => <option key={r.key} value={r.key}>{keyName(t, report.by, r.key, r.name)}</option>)}
              </select>
            </label>
          )}
          <BarLineChart
            testId="report-chart"
            label={t('reports.result.chartLabel', { name: keyName(t, report.by, chartName.key, chartName.name) })}
            ticks={report.periods.map((p) => tickText(p.label, report.grain, oneDay))}
            titles={report.periods.map((p) => texts.get(p.label) ?? p.label)}
            bars={chart.bars.map((b) => ({ name: t(`reports.columns.${b.column}`), values: b.values }))}
            barFormat={(v) => formatValue(KINDS.Count, v, lang)}
            wholeBars
            line={{
              name: t(`reports.columns.${chart.line.column}`), values: chart.line.values, max: 1,
              format: (v) => formatValue(KINDS.Ratio, v, lang), axisFormat: (v) => wholePercent(v, lang),
            }}
          />
        </>
      )}
      <fieldset className="reports-groups" data-testid="report-groups">
        <legend>{t('reports.result.columns')}</legend>
        {GROUPS.map((g) => (
          <label key={g} className="check">
            <input type="checkbox" name={`group-${g}`} checked={groups.includes(g)} onChange={() => toggleGroup(g)} />
            {t(`reports.groups.${g}`)}
          </label>
        ))}
      </fieldset>
      {report.totals.length > 0 && (
        <div className="reports-scroll" tabIndex={0} role="region" aria-label={t('reports.result.tableLabel')}>
          <table className="grid reports-table" data-testid="report-table">
            <thead>
              <tr>
                <th scope="col">{t('reports.result.period')}</th>
                <th scope="col">{t(`reports.dimensions.${report.by}`)}</th>
                {columns.map((c) => <th key={c} scope="col" data-column={c}>{t(`reports.columns.${c}`)}</th>)}
              </tr>
            </thead>
            <tbody>
              {report.rows.map((r) => (
                <ReportTableRow key={`${r.periodStart}|${r.key}`} row={r} period={texts.get(r.period) ?? r.period} name={keyName(t, report.by, r.key, r.name)} columns={columns} lang={lang} />
              ))}
            </tbody>
            <tfoot>
              {report.totals.map((r) => (
                <ReportTableRow key={`total|${r.key}`} row={r} period={t('reports.result.total')} name={keyName(t, report.by, r.key, r.name)} columns={columns} lang={lang} total />
              ))}
            </tfoot>
          </table>
        </div>
      )}
    </div>
  );
}

function ReportTableRow({ row, period, name, columns, lang, total = false }: { row: ReportRow; period: string; name: string; columns: readonly string[]; lang: string; total?: boolean }) {
  return (
    <tr data-testid={total ? 'report-total' : 'report-row'} data-period-start={row.periodStart} data-period={row.period} data-key={row.key}>
      <th scope="row" className="reports-period">{period}</th>
      <td className="reports-name">{name}</td>
      {columns.map((c) => {
        const v = row[c];
        const n = typeof v === 'number' ? v : null;
        return <td key={c} data-column={c} data-value={n === null ? 'null' : String(n)} className="reports-num">{formatColumn(c, n, lang)}</td>;
      })}
    </tr>
  );
}
