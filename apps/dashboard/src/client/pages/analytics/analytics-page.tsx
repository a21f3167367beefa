import { useEffect, useMemo } from "preact/hooks";
import { api, data } from "../../api/client.ts";
import { ApiFailure } from "../../api/failure.ts";
import { BASE } from "../../context.ts";
import type { OrgPageProps } from "../../pages.ts";
import { navigate } from "../../router.ts";
import { Failure } from "../../ui/failure.tsx";
import { useLoad } from "../../ui/use-load.ts";
import { BarList } from "./bar-list.tsx";
import { TimeChart } from "./time-chart.tsx";

const WINDOWS = [7, 30, 90];
/** How long the page waits before asking again while the figures are regrouped (Retry-After). */
const REGROUP_RETRY_MS = 5000;

/** The API is regrouping the organization's daily figures into its new time zone (503). */
function isRegrouping(error: unknown): boolean {
  return error instanceof ApiFailure && error.code === "ANALYTICS_REGROUPING";
}

/** The local date `days` before today, as the API takes it (YYYY-MM-DD). */
function dayBefore(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() - days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** The day before a YYYY-MM-DD date. */
function previousDay(date: string): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** Prints per day, hours printed, utilization, failures and filament over a chosen window. */
export function AnalyticsPage(props: OrgPageProps) {
  const orgId = props.org.id;
  const days = WINDOWS.includes(Number(props.query.get("days")))
    ? Number(props.query.get("days"))
    : 30;
  const [report, reload] = useLoad(async () => {
    const params = { path: { orgId }, query: { from: dayBefore(days - 1) } };
    const [production, printers, failures, inventory] = await Promise.all([
      data(api.GET("/orgs/{orgId}/analytics/production", { params })),
      data(api.GET("/orgs/{orgId}/analytics/printers", { params })),
      data(api.GET("/orgs/{orgId}/analytics/failures", { params })),
      data(api.GET("/orgs/{orgId}/analytics/inventory", { params })),
    ]);
    return {
      production: production.data,
      printers: printers.data,
      failures: failures.data,
      inventory: inventory.data,
    };
  }, [orgId, days]);
  // While the figures are regrouped, ask again by itself after the API's Retry-After.
  const regrouping = report.state === "failed" && isRegrouping(report.error);
  useEffect(() => {
    if (!regrouping) return;
    const timer = setTimeout(() => void reload(), REGROUP_RETRY_MS);
    return () => clearTimeout(timer);
  }, [report, regrouping, reload]);

  const charts = useMemo(() => {
    if (report.state !== "ready") return null;
    const daily = report.value.production.daily;
    return {
      days: daily.map((d) => d.date),
      prints: [
        {
          label: "Completed",
          values: daily.map((d) => d.jobs_completed),
          color: "#2f855a",
          bars: true,
        },
        { label: "Failed", values: daily.map((d) => d.jobs_failed), color: "#c53030", bars: true },
      ],
      hours: [
        {
          label: "Hours printed",
          values: daily.map((d) => Math.round((d.total_print_time_minutes / 60) * 10) / 10),
          color: "#2b6cb0",
        },
      ],
    };
  }, [report]);

  let body: preact.ComponentChildren;
  if (report.state === "loading") body = <p class="loading">Loading analytics…</p>;
  else if (regrouping) {
    body = (
      <div class="notice" role="status">
        <strong>Regrouping your figures. </strong>The organization's time zone was changed, and its
        daily figures are being regrouped into the new zone's days. This page shows them by itself
        in a few seconds.
      </div>
    );
  } else if (report.state === "failed") body = <Failure error={report.error} />;
  else if (charts) {
    const { production, printers, failures, inventory } = report.value;
    const yesterday = previousDay(production.date_range.to);
    const y = production.daily.find((d) => d.date === yesterday);
    const s = production.summary;
    body = (
      <>
        <p class="lead" data-testid="yesterday">
          {y
            ? `Yesterday: ${y.jobs_completed} completed, ${y.jobs_failed} failed, ${Math.round((y.total_print_time_minutes / 60) * 10) / 10} h printed.`
            : "Yesterday: no prints."}
        </p>
        <dl class="facts">
          <dt>Completed</dt>
          <dd>{s.jobs_completed}</dd>
          <dt>Failed</dt>
          <dd>{s.jobs_failed}</dd>
          <dt>Success rate</dt>
          <dd>{`${Math.round(s.completion_rate)}%`}</dd>
          <dt>Hours printed</dt>
          <dd>{s.total_print_time_hours}</dd>
        </dl>
        <div class="charts">
          <TimeChart
            title="Prints per day"
            days={charts.days}
            series={charts.prints}
            unit="prints"
          />
          <TimeChart
            title="Hours printed per day"
            days={charts.days}
            series={charts.hours}
            unit="hours"
          />
        </div>
        <div class="board">
          <BarList
            title="Utilization per printer"
            empty="No printers yet."
            items={printers.printers.map((p) => ({
              label: p.name,
              value: p.utilization_percent,
              text: `${Math.round(p.utilization_percent)}%`,
            }))}
          />
          <BarList
            title="Failures by reason"
            empty="No failures in this window."
            items={failures.by_type.map((f) => ({
              label: f.reason,
              value: f.count,
              text: String(f.count),
            }))}
          />
          <BarList
            title="Filament per material"
            empty="No filament used in this window."
            items={inventory.material_usage.map((m) => ({
              label: m.material_type,
              value: m.total_usage,
              text: `${Math.round(m.total_usage)} g`,
            }))}
          />
        </div>
      </>
    );
  }
  return (
    <>
      <h1>Analytics</h1>
      <form class="filters" aria-label="Choose the window" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="analytics-window">Window</label>
          <select
            id="analytics-window"
            value={String(days)}
            onChange={(e) =>
              navigate(
                `${BASE}/analytics?days=${(e.currentTarget as HTMLSelectElement).value}`,
                true,
              )
            }
          >
            {WINDOWS.map((w) => (
              <option key={w} value={String(w)}>{`Last ${w} days`}</option>
            ))}
          </select>
        </div>
      </form>
      {body}
    </>
  );
}
