// The KPI settings of the workspace (PUT /api/reports/settings, reports.manage): the short-abandon
// threshold, the FCR window, how service level counts, and per-queue overrides; and rebuilding the
// rollups of a range of local days from the raw records (POST /api/reports/rebuild), which applies
// changed thresholds to history.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Me } from '../../api.ts';
import { NoticeLine, useLoad, type Notice } from '../../ui/common.tsx';
import { thisMonthRange } from './dates.ts';
import { Field, useFieldError, useReportsErrorText } from './report-ui.tsx';
import { COUNTING, SERVICE_LEVEL_FORMULAS, type Counting, type KpiSettings, type NamedItem, type RebuildResult, type ServiceLevelFormula } from './reports-api.ts';
import { EMPTY_QUEUE, settingsBody, settingsDraft, type QueueDraft, type SettingsDraft } from './settings-form.ts';
import { workspaceDay } from './workspace-day.ts';
import './reports.css';

const COUNTINGS = Object.values(COUNTING);

export function KpiSettingsPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const errorText = useReportsErrorText();
  const settings = useLoad(() => api<KpiSettings>('GET', '/api/reports/settings'));
  const queues = useLoad(() => (me.permissions.includes('queues.read') ? api<{ items: NamedItem[] }>('GET', '/api/queues') : Promise.resolve({ items: [] })));
  const day = useLoad(() => workspaceDay());
  const failed = settings.error ?? queues.error ?? day.error;
  return (
    <section className="reports-page" data-testid="kpi-settings-page">
      <div className="page-head"><h1>{t('reports.settings.title')}</h1></div>
      <p className="reports-lead">{t('reports.settings.lead')}</p>
      {failed !== undefined && <NoticeLine notice={{ kind: 'error', text: errorText(failed) }} />}
      {settings.data && queues.data && <SettingsForm settings={settings.data} queues={queues.data.items} onSaved={settings.reload} />}
      {day.data && <RebuildForm today={day.data.today} />}
    </section>
  );
}

function SettingsForm({ settings, queues, onSaved }: { settings: KpiSettings; queues: NamedItem[]; onSaved: () => void }) {
  const { t } = useTranslation();
  const [d, setD] = useState<SettingsDraft>(() => settingsDraft(settings));
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  // Every queue of the workspace, and any override of a queue that no longer exists (the server refuses those: set them back to "as the workspace").
  const rows: NamedItem[] = [...queues, ...Object.keys(d.queues).filter((id) => !queues.some((q) => q.id === id)).map((id) => ({ id, name: t('reports.settings.goneQueue', { id }) }))];
  const fields = ['shortAbandonSeconds', 'fcrWindowDays', 'serviceLevel.formula', 'serviceLevel.shortAbandons', 'serviceLevel.overflows',
    ...rows.flatMap((q) => ['formula', 'shortAbandons', 'overflows', 'shortAbandonSeconds'].map((f) => `queues.${q.id}.${f}`)), ...rows.map((q) => `queues.${q.id}`)];
  const err = useFieldError(fields);
  const queue = (id: string): QueueDraft => d.queues[id] ?? EMPTY_QUEUE;
  const setQueue = (id: string, change: Partial<QueueDraft>) => setD({ ...d, queues: { ...d.queues, [id]: { ...queue(id), ...change } } });

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const saved = await api<KpiSettings>('PUT', '/api/reports/settings', settingsBody(d));
      setD(settingsDraft(saved));
      err.clear();
      setNotice({ kind: 'ok', text: t('reports.settings.saved') });
      onSaved();
    } catch (ex) {
      setNotice(null);
      err.set(ex);
    } finally {
      setBusy(false);
    }
  };

  const inherit = t('reports.settings.inherit');
  return (
    <form className="card reports-form" noValidate onSubmit={(e) => void save(e)} data-testid="kpi-settings-form">
      <h2>{t('reports.settings.workspace')}</h2>
      <div className="reports-row">
        <Field label={t('reports.settings.shortAbandonSeconds')} name="shortAbandonSeconds" error={err.at('shortAbandonSeconds')} hint={t('reports.settings.shortAbandonHint')}>
          <input name="shortAbandonSeconds" inputMode="numeric" value={d.shortAbandonSeconds} onChange={(e) => setD({ ...d, shortAbandonSeconds: e.target.value })} />
        </Field>
        <Field label={t('reports.settings.fcrWindowDays')} name="fcrWindowDays" error={err.at('fcrWindowDays')} hint={t('reports.settings.fcrHint')}>
          <input name="fcrWindowDays" inputMode="numeric" value={d.fcrWindowDays} onChange={(e) => setD({ ...d, fcrWindowDays: e.target.value })} />
        </Field>
      </div>
      <div className="reports-row">
        <Field label={t('reports.settings.formula')} name="serviceLevel.formula" error={err.at('serviceLevel.formula')} className="reports-wide">
          <select name="serviceLevel.formula" value={d.formula} onChange={(e) => setD({ ...d, formula: e.target.value as ServiceLevelFormula })}>
            {SERVICE_LEVEL_FORMULAS.map((f) => <option key={f} value={f}>{t(`reports.formulas.${f}`)}</option>)}
          </select>
        </Field>
        <Field label={t('reports.settings.shortAbandons')} name="serviceLevel.shortAbandons" error={err.at('serviceLevel.shortAbandons')}>
          <select name="serviceLevel.shortAbandons" value={d.shortAbandons} onChange={(e) => setD({ ...d, shortAbandons: e.target.value as Counting })}>
            {COUNTINGS.map((c) => <option key={c} value={c}>{t(`reports.counting.${c}`)}</option>)}
          </select>
        </Field>
        <Field label={t('reports.settings.overflows')} name="serviceLevel.overflows" error={err.at('serviceLevel.overflows')}>
          <select name="serviceLevel.overflows" value={d.overflows} onChange={(e) => setD({ ...d, overflows: e.target.value as Counting })}>
            {COUNTINGS.map((c) => <option key={c} value={c}>{t(`reports.counting.${c}`)}</option>)}
          </select>
        </Field>
      </div>
      <h2>{t('reports.settings.queues')}</h2>
      <p className="reports-hint">{t('reports.settings.queuesHint')}</p>
      <div className="reports-scroll">
        <table className="grid reports-overrides" data-testid="kpi-queue-overrides">
          <thead>
            <tr>
              <th scope="col">{t('reports.dimensions.queue')}</th><th scope="col">{t('reports.settings.formula')}</th>
              <th scope="col">{t('reports.settings.shortAbandons')}</th><th scope="col">{t('reports.settings.overflows')}</th>
              <th scope="col">{t('reports.settings.shortAbandonSeconds')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((q) => {
              const o = queue(q.id);
              const at = (f: string) => err.at(`queues.${q.id}.${f}`);
              /** A select of one counting option, "as the workspace" first. */
              const choice = (field: 'formula' | 'shortAbandons' | 'overflows', options: readonly string[], texts: string) => (
                <td>
                  <Field label={t(`reports.settings.${field}`)} name={`queues.${q.id}.${field}`} error={at(field)} className="reports-compact">
                    <select name={`queue-${field}-${q.id}`} value={o[field]} onChange={(e) => setQueue(q.id, { [field]: e.target.value } as Partial<QueueDraft>)}>
                      <option value="">{inherit}</option>
                      {options.map((v) => <option key={v} value={v}>{t(`${texts}.${v}`)}</option>)}
                    </select>
                  </Field>
                </td>
              );
              return (
                <tr key={q.id} data-testid={`kpi-queue-${q.name}`}>
                  <th scope="row">{q.name}{err.at(`queues.${q.id}`) && <span className="reports-field-error" role="alert">{err.at(`queues.${q.id}`)}</span>}</th>
                  {choice('formula', SERVICE_LEVEL_FORMULAS, 'reports.formulas')}
                  {choice('shortAbandons', COUNTINGS, 'reports.counting')}
                  {choice('overflows', COUNTINGS, 'reports.counting')}
                  <td>
                    <Field label={t('reports.settings.shortAbandonSeconds')} name={`queues.${q.id}.shortAbandonSeconds`} error={at('shortAbandonSeconds')} className="reports-compact">
                      <input name={`queue-shortAbandonSeconds-${q.id}`} inputMode="numeric" placeholder={d.shortAbandonSeconds} value={o.shortAbandonSeconds}
                        onChange={(e) => setQueue(q.id, { shortAbandonSeconds: e.target.value })} />
                    </Field>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {err.general && <NoticeLine notice={{ kind: 'error', text: err.general }} />}
      <NoticeLine notice={notice} />
      <div className="buttons"><button type="submit" data-testid="kpi-save" disabled={busy}>{t('reports.settings.save')}</button></div>
    </form>
  );
}

function RebuildForm({ today }: { today: string }) {
  const { t, i18n } = useTranslation();
  const [range, setRange] = useState(() => thisMonthRange(today));
  const [result, setResult] = useState<RebuildResult | null>(null);
  const [busy, setBusy] = useState(false);
  const err = useFieldError(['from', 'to']);
  const count = (n: number) => new Intl.NumberFormat(i18n.language).format(n);

  const rebuild = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setResult(null);
    try {
      setResult(await api<RebuildResult>('POST', '/api/reports/rebuild', range));
      err.clear();
    } catch (ex) {
      err.set(ex);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card reports-form" noValidate onSubmit={(e) => void rebuild(e)} data-testid="rebuild-form">
      <h2>{t('reports.rebuild.title')}</h2>
      <p className="reports-hint">{t('reports.rebuild.hint')}</p>
      <div className="reports-row">
        <Field label={t('reports.form.from')} name="from" error={err.at('from')}>
          <input type="date" name="from" value={range.from} onChange={(e) => setRange({ ...range, from: e.target.value })} />
        </Field>
        <Field label={t('reports.form.to')} name="to" error={err.at('to')}>
          <input type="date" name="to" value={range.to} onChange={(e) => setRange({ ...range, to: e.target.value })} />
        </Field>
        <button type="submit" className="reports-row-button" data-testid="rebuild-run" disabled={busy}>{busy ? t('reports.rebuild.running') : t('reports.rebuild.run')}</button>
      </div>
      {err.general && <NoticeLine notice={{ kind: 'error', text: err.general }} />}
      {result && (
        <p className="notice notice-ok" role="status" data-testid="rebuild-result" data-interactions={result.interactions} data-state-stretches={result.stateStretches}>
          {t('reports.rebuild.done', { from: result.from, to: result.to, interactions: count(result.interactions), stretches: count(result.stateStretches) })}
        </p>
      )}
    </form>
  );
}
