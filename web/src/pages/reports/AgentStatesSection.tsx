// Time per agent, state and reason code (GET /api/reports/agent-states) for the range and grain of
// the report shown: one row per period and agent, one column per state (Not ready once per reason),
// with the CSV of the same rows.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { NoticeLine } from '../../ui/common.tsx';
import { periodTexts } from './chart-data.ts';
import { formatDuration } from './columns.ts';
import { agentStatesPath, type ReportParams } from './report-query.ts';
import { useReportsErrorText } from './report-ui.tsx';
import type { AgentStates } from './reports-api.ts';
import { pivot, type StateColumn } from './state-pivot.ts';

export function AgentStatesSection({ params }: { params: ReportParams }) {
  const { t } = useTranslation();
  const errorText = useReportsErrorText();
  const agents = params.by === 'agent' ? params.keys : [];
  const [data, setData] = useState<AgentStates>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let live = true;
    api<AgentStates>('GET', agentStatesPath(params, agents)).then((d) => { if (live) { setData(d); setError(undefined); } }, (e: unknown) => { if (live) setError(e); });
    return () => { live = false; };
  }, [params]); // eslint-disable-line react-hooks/exhaustive-deps
  const table = useMemo(() => (data ? pivot(data.rows) : null), [data]);
  const texts = useMemo(() => periodTexts(data?.periods ?? []), [data]);
  const stateName = (c: StateColumn) => {
    const state = t(`desk.states.${c.state}`, { defaultValue: c.state });
    return c.reason === '' ? state : `${state}: ${t(`desk.reasons.${c.reason}`, { defaultValue: c.reason })}`;
  };

  return (
    <div className="card reports-states" data-testid="agent-states" data-grain={data?.grain ?? ''} data-from={data?.from ?? ''} data-to={data?.to ?? ''}>
      <div className="reports-result-head">
        <h2>{t('reports.states.title')}</h2>
        <a className="reports-download" href={agentStatesPath(params, agents, 'csv')} download data-testid="agent-states-csv">{t('reports.result.csv')}</a>
      </div>
      {error !== undefined && <NoticeLine notice={{ kind: 'error', text: errorText(error) }} />}
      {table && table.rows.length === 0 && <p data-testid="agent-states-empty">{t('reports.states.empty')}</p>}
      {table && table.rows.length > 0 && (
        <div className="reports-scroll" tabIndex={0} role="region" aria-label={t('reports.states.title')}>
          <table className="grid reports-table" data-testid="agent-states-table">
            <thead>
              <tr>
                <th scope="col">{t('reports.result.period')}</th>
                <th scope="col">{t('reports.dimensions.agent')}</th>
                {table.columns.map((c) => <th key={c.id} scope="col" data-state={c.state} data-reason={c.reason}>{stateName(c)}</th>)}
                <th scope="col">{t('reports.states.total')}</th>
              </tr>
            </thead>
            <tbody>
              {table.rows.map((r) => (
                <tr key={`${r.periodStart}|${r.agentId}`} data-testid="agent-states-row" data-period-start={r.periodStart} data-agent={r.agentId}>
                  <th scope="row" className="reports-period">{texts.get(r.period) ?? r.period}</th>
                  <td className="reports-name">{r.name}</td>
                  {table.columns.map((c) => {
                    const s = r.seconds.get(c.id);
                    return <td key={c.id} className="reports-num" data-state={c.state} data-reason={c.reason} data-value={s ?? 0}>{s === undefined ? '—' : formatDuration(s)}</td>;
                  })}
                  <td className="reports-num" data-value={r.total}>{formatDuration(r.total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
