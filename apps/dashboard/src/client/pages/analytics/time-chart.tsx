import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";

export interface Series {
  label: string;
  values: number[];
  color: string;
  bars?: boolean;
}

const DAY_S = 86_400;

/** "2026-11-22" → seconds at that day's noon UTC (uPlot's x axis counts seconds). */
const daySeconds = (date: string) => Date.parse(`${date}T12:00:00Z`) / 1000;

/**
 * A daily chart drawn by uPlot on a canvas, sized to its box. The same figures follow in a table
 * (the chart's text alternative), so nothing is only in the picture.
 */
export function TimeChart(props: {
  title: string;
  days: string[];
  series: Series[];
  unit: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current!;
    const bars = uPlot.paths.bars?.({ size: [0.6, 40] });
    const plot = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height: 220,
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true, range: (_u, min, max) => [min - DAY_S / 2, max + DAY_S / 2] } },
        axes: [{}, { label: props.unit, size: 50 }],
        series: [
          {},
          ...props.series.map((s) => ({
            label: s.label,
            stroke: s.color,
            fill: s.bars ? `${s.color}99` : undefined,
            width: 2,
            paths: s.bars ? bars : undefined,
          })),
        ],
      },
      [props.days.map(daySeconds), ...props.series.map((s) => s.values)],
      el,
    );
    return () => plot.destroy();
  }, [props.days, props.series]);
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div ref={box} aria-hidden="true" />
      <details>
        <summary>{`${props.title}: the figures`}</summary>
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{props.title}</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {props.series.map((s) => (
                  <th key={s.label} scope="col">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.days.map((d, i) => (
                <tr key={d}>
                  <th scope="row">{new Date(`${d}T12:00:00Z`).toLocaleDateString()}</th>
                  {props.series.map((s) => (
                    <td key={s.label}>{s.values[i]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
