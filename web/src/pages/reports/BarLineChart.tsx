// Bars over periods (one group per period, one bar per series) with a line on its own right-hand
// axis: offered and answered with the service level, or forecast contacts with agents. SVG drawn by
// React with visx scales and axes; colours come from reports.css, so nothing needs an inline style.
import { AxisBottom, AxisLeft, AxisRight } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleBand, scaleLinear } from '@visx/scale';
import { Bar, LinePath } from '@visx/shape';

export interface BarSeries { name: string; values: readonly number[] }
export interface LineSeries {
  name: string;
  values: readonly (number | null)[];
  format: (v: number) => string;
  /** The right axis' tick labels (default: format). */
  axisFormat?: (v: number) => string;
  /** Top of the right axis (1 for a ratio); else the largest value. */
  max?: number;
  /** The line counts whole things (agents): no ticks between integers. */
  whole?: boolean;
}

const WIDTH = 960;
const HEIGHT = 300;
const MARGIN = { top: 16, right: 64, bottom: 36, left: 56 };
const MAX_TICKS = 12;
const MAX_BAR_WIDTH = 36;
const tickLabel = { fill: '#66707d', fontSize: 11, fontFamily: 'inherit' } as const;

export function BarLineChart({ testId, label, ticks, titles, bars, barFormat, line, wholeBars = false }: {
  testId: string;
  /** What the chart shows, for screen readers. */
  label: string;
  /** The short axis label of each period. */
  ticks: readonly string[];
  /** The full name of each period, in each bar's and point's tooltip. */
  titles: readonly string[];
  bars: readonly BarSeries[];
  barFormat: (v: number) => string;
  line?: LineSeries;
  /** Bars count whole things: no ticks between integers. */
  wholeBars?: boolean;
}) {
  const n = ticks.length;
  const innerW = WIDTH - MARGIN.left - MARGIN.right;
  const innerH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const slots = Array.from({ length: n }, (_, i) => i);
  const x = scaleBand<number>({ domain: slots, range: [0, innerW], paddingInner: 0.2, paddingOuter: 0.1 });
  const series = scaleBand<number>({ domain: bars.map((_, i) => i), range: [0, x.bandwidth()], padding: 0.08 });
  const barMax = Math.max(1, ...bars.flatMap((b) => b.values));
  const y = scaleLinear<number>({ domain: [0, barMax], range: [innerH, 0], nice: true });
  const lineValues = line ? line.values.filter((v): v is number => v !== null) : [];
  const yLine = scaleLinear<number>({ domain: [0, line?.max ?? Math.max(1, ...lineValues)], range: [innerH, 0], nice: line?.max === undefined });
  const yTicks = y.ticks(5).filter((v) => !wholeBars || Number.isInteger(v));
  const lineTicks = yLine.ticks(5).filter((v) => !line?.whole || Number.isInteger(v));
  const step = Math.max(1, Math.ceil(n / MAX_TICKS));
  const barWidth = Math.min(series.bandwidth(), MAX_BAR_WIDTH);
  const barX = (s: number) => (series(s) ?? 0) + (series.bandwidth() - barWidth) / 2;
  const centre = (i: number) => (x(i) ?? 0) + x.bandwidth() / 2;
  const points = line ? slots.filter((i) => line.values[i] !== null && line.values[i] !== undefined) : [];

  return (
    <figure className="reports-chart" data-testid={testId}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} className="reports-chart-svg">
        <Group left={MARGIN.left} top={MARGIN.top}>
          {yTicks.map((v) => <line key={v} className="reports-gridline" x1={0} x2={innerW} y1={y(v)} y2={y(v)} />)}
          {slots.map((i) => (
            <Group key={i} left={x(i) ?? 0}>
              {bars.map((b, s) => {
                const v = b.values[i] ?? 0;
                const top = y(v);
                return (
                  <Bar key={s} className={`reports-bar reports-bar-${s}`} data-series={b.name} data-value={v}
                    x={barX(s)} y={top} width={barWidth} height={Math.max(0, innerH - top)}>
                    <title>{`${titles[i] ?? ''} · ${b.name}: ${barFormat(v)}`}</title>
                  </Bar>
                );
              })}
            </Group>
          ))}
          {line && (
            <>
              <LinePath<number> data={slots} className="reports-line" x={centre} y={(i) => yLine(line.values[i] ?? 0)}
                defined={(i) => line.values[i] !== null && line.values[i] !== undefined} />
              {points.map((i) => (
                <circle key={i} className="reports-point" data-value={line.values[i] ?? ''} cx={centre(i)} cy={yLine(line.values[i] ?? 0)} r={3.5}>
                  <title>{`${titles[i] ?? ''} · ${line.name}: ${line.format(line.values[i] ?? 0)}`}</title>
                </circle>
              ))}
            </>
          )}
          <AxisLeft scale={y} tickValues={yTicks} tickFormat={(v) => barFormat(Number(v))} tickLabelProps={{ ...tickLabel, textAnchor: 'end', dx: -4, dy: 3 }}
            stroke="#d9dee5" tickStroke="#d9dee5" />
          {line && (
            <AxisRight scale={yLine} left={innerW} tickValues={lineTicks} tickFormat={(v) => (line.axisFormat ?? line.format)(Number(v))}
              tickLabelProps={{ ...tickLabel, textAnchor: 'start', dx: 4, dy: 3 }} stroke="#d9dee5" tickStroke="#d9dee5" />
          )}
          <AxisBottom scale={x} top={innerH} tickValues={slots.filter((i) => i % step === 0)} tickFormat={(i) => ticks[Number(i)] ?? ''}
            tickLabelProps={{ ...tickLabel, textAnchor: 'middle' }} stroke="#d9dee5" tickStroke="#d9dee5" />
        </Group>
      </svg>
      <figcaption className="reports-legend">
        {bars.map((b, s) => <span key={s}><i className={`reports-swatch reports-swatch-${s}`} aria-hidden="true" />{b.name}</span>)}
        {line && <span><i className="reports-swatch reports-swatch-line" aria-hidden="true" />{line.name}</span>}
      </figcaption>
    </figure>
  );
}
