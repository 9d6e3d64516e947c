/**
 * Two hand-drawn SVG charts (no chart library: a few hundred bytes instead of
 * tens of kilobytes): stacked bars of run outcomes per time bucket, and bars
 * of run durations. Each has a text summary for screen readers.
 */
import { formatDuration } from "../format.js";

export interface OutcomeBucket {
  label: string;
  ok: number;
  warning: number;
  failed: number;
}

const W = 720;
/** The duration chart spans a whole card: a wider canvas keeps its text the same size as the other chart's. */
const WIDE = 1100;
const H = 180;
const PAD = { top: 10, right: 8, bottom: 24, left: 44 };

function niceMax(value: number): number {
  if (value <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return value;
}

function Axis(props: { max: number; width: number; format: (v: number) => string }) {
  const ticks = [0, props.max / 2, props.max];
  const inner = H - PAD.top - PAD.bottom;
  return (
    <g class="axis">
      {ticks.map((t) => {
        const y = PAD.top + inner - (t / props.max) * inner;
        return (
          <g key={t}>
            <line x1={PAD.left} x2={props.width - PAD.right} y1={y} y2={y} />
            <text x={PAD.left - 6} y={y + 4} text-anchor="end">
              {props.format(t)}
            </text>
          </g>
        );
      })}
    </g>
  );
}

export function OutcomeChart(props: { buckets: OutcomeBucket[]; title: string }) {
  const { buckets } = props;
  const max = niceMax(Math.max(1, ...buckets.map((b) => b.ok + b.warning + b.failed)));
  const inner = H - PAD.top - PAD.bottom;
  const slot = (W - PAD.left - PAD.right) / Math.max(1, buckets.length);
  const barW = Math.max(2, slot * 0.7);
  const totals = buckets.reduce((t, b) => ({ ok: t.ok + b.ok, warning: t.warning + b.warning, failed: t.failed + b.failed }), { ok: 0, warning: 0, failed: 0 });
  const labelEvery = Math.ceil(buckets.length / 8);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${props.title}: ${totals.ok} succeeded, ${totals.warning} with warnings, ${totals.failed} failed`}>
        <Axis max={max} width={W} format={(v) => String(Math.round(v))} />
        {buckets.map((b, i) => {
          const x = PAD.left + i * slot + (slot - barW) / 2;
          let y = PAD.top + inner;
          const parts: [keyof Omit<OutcomeBucket, "label">, number][] = [
            ["ok", b.ok],
            ["warning", b.warning],
            ["failed", b.failed],
          ];
          return (
            <g key={i}>
              <title>{`${b.label}: ${b.ok} succeeded, ${b.warning} warning, ${b.failed} failed`}</title>
              {parts.map(([kind, n]) => {
                if (n === 0) return null;
                const h = (n / max) * inner;
                y -= h;
                return <rect key={kind} class={`fill-${kind}`} x={x} y={y} width={barW} height={h} rx={1.5} />;
              })}
              {i % labelEvery === 0 ? (
                <text class="tick" x={x + barW / 2} y={H - 8} text-anchor="middle">
                  {b.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption class="legend">
        <span class="key key-ok">Succeeded {totals.ok}</span>
        <span class="key key-warning">Warning {totals.warning}</span>
        <span class="key key-failed">Failed {totals.failed}</span>
      </figcaption>
    </figure>
  );
}

export interface DurationBar {
  label: string;
  ms: number;
  outcome: "ok" | "warning" | "failed" | "running" | "other";
}

export function DurationChart(props: { bars: DurationBar[]; title: string }) {
  const { bars } = props;
  const max = niceMax(Math.max(1, ...bars.map((b) => b.ms)));
  const inner = H - PAD.top - PAD.bottom;
  const slot = (WIDE - PAD.left - PAD.right) / Math.max(1, bars.length);
  const barW = Math.max(2, Math.min(28, slot * 0.7));
  const average = bars.length ? bars.reduce((s, b) => s + b.ms, 0) / bars.length : 0;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDE} ${H}`} role="img" aria-label={`${props.title}: ${bars.length} runs, average ${formatDuration(Math.round(average))}`}>
        <Axis max={max} width={WIDE} format={(v) => formatDuration(Math.round(v)).replace(" ", "")} />
        {bars.map((b, i) => {
          const h = Math.max(1, (b.ms / max) * inner);
          const x = PAD.left + i * slot + (slot - barW) / 2;
          // No links in the bars: an image holds no controls; the table under the chart links each run.
          return (
            <g key={i}>
              <title>{`${b.label}: ${formatDuration(b.ms)}`}</title>
              <rect class={`fill-${b.outcome}`} x={x} y={PAD.top + inner - h} width={barW} height={h} rx={1.5} />
            </g>
          );
        })}
      </svg>
      <figcaption class="legend">Oldest on the left; average {formatDuration(Math.round(average))}.</figcaption>
    </figure>
  );
}
