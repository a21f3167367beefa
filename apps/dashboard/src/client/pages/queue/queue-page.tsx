import { useEffect, useState } from "preact/hooks";
import { api, data } from "../../api/client.ts";
import type { Job } from "../../api/types.ts";
import { BASE } from "../../context.ts";
import { openEventStream } from "../../live/event-stream.ts";
import type { OrgPageProps } from "../../pages.ts";
import { confirmDialog } from "../../ui/confirm.ts";
import { Failure } from "../../ui/failure.tsx";
import { useLoad } from "../../ui/use-load.ts";
import { QueueRow, type RowActions } from "./queue-row.tsx";
import { QueueSettings } from "./queue-settings.tsx";

const JOB_EVENTS = ["job.queued", "job.started", "job.completed", "job.failed", "job.cancelled"];

/** The queue in its order (priority, then place), failed jobs to retry, and the settings. */
export function QueuePage(props: OrgPageProps) {
  const orgId = props.org.id;
  const path = { orgId };
  const [board, reload] = useLoad(async () => {
    const [queued, failed, printers] = await Promise.all([
      data(
        api.GET("/orgs/{orgId}/jobs", {
          params: { path, query: { status: "queued", limit: 100 } },
        }),
      ),
      data(
        api.GET("/orgs/{orgId}/jobs", { params: { path, query: { status: "failed", limit: 20 } } }),
      ),
      data(api.GET("/orgs/{orgId}/printers", { params: { path } })),
    ]);
    const order = (a: Job, b: Job) => (a.position ?? 0) - (b.position ?? 0);
    return { queued: [...queued.data].sort(order), failed: failed.data, printers: printers.data };
  }, [orgId]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const [said, setSaid] = useState("");

  useEffect(() => {
    const stream = openEventStream(
      orgId,
      JOB_EVENTS,
      () => void reload(),
      () => undefined,
    );
    return () => stream.close();
  }, [orgId]);

  async function act(work: () => Promise<unknown>, message: string, focus?: string) {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    try {
      await work();
      setSaid(message);
    } catch (error) {
      setProblem(error);
    } finally {
      await reload();
      setBusy(false);
      // After the redraw: the moved row's button, so that Enter again moves it on.
      if (focus) setTimeout(() => document.getElementById(focus)?.focus(), 0);
    }
  }
  const jobPath = (job: Job) => ({ params: { path: { orgId, jobId: job.id } } });
  const nameOf = (job: Job) => job.file_name ?? "the job";

  const actions: RowActions = {
    move: (job, to, focus) =>
      void act(
        () =>
          data(
            api.PATCH("/orgs/{orgId}/jobs/{jobId}", { ...jobPath(job), body: { position: to } }),
          ),
        `${nameOf(job)} moved to place ${to}.`,
        focus,
      ),
    drop: (target, draggedId) =>
      void act(
        () =>
          data(
            api.PATCH("/orgs/{orgId}/jobs/{jobId}", {
              params: { path: { orgId, jobId: draggedId } },
              body: { position: target.position ?? "bottom" },
            }),
          ),
        `Moved to place ${target.position}.`,
      ),
    edit: (job, change) =>
      void act(
        () => data(api.PATCH("/orgs/{orgId}/jobs/{jobId}", { ...jobPath(job), body: change })),
        `${nameOf(job)} changed.`,
      ),
    start: (job) =>
      void act(
        () => data(api.POST("/orgs/{orgId}/jobs/{jobId}/start", jobPath(job))),
        `${nameOf(job)} is being sent to its printer.`,
      ),
    cancel: async (job) => {
      if (!(await confirmDialog(`Cancel ${nameOf(job)}?`, "Cancel job"))) return;
      await act(
        () => data(api.POST("/orgs/{orgId}/jobs/{jobId}/cancel", jobPath(job))),
        `${nameOf(job)} cancelled.`,
      );
    },
  };

  let body: preact.ComponentChildren;
  if (board.state === "loading") body = <p class="loading">Loading the queue…</p>;
  else if (board.state === "failed") body = <Failure error={board.error} />;
  else {
    const { queued, failed, printers } = board.value;
    body = (
      <>
        <section aria-labelledby="queued-heading">
          <h2 id="queued-heading">Queued ({queued.length})</h2>
          {queued.length === 0 ? (
            <div class="empty">
              <p>
                <strong>The queue is empty.</strong>
              </p>
              <p>
                Queue copies of a print from <a href={`${BASE}/files`}>Files</a>.
              </p>
            </div>
          ) : (
            <ol class="queue" aria-label="Queued jobs">
              {queued.map((job, i) => (
                <QueueRow
                  key={job.id}
                  job={job}
                  last={i === queued.length - 1}
                  printers={printers}
                  busy={busy}
                  actions={actions}
                />
              ))}
            </ol>
          )}
        </section>
        <section aria-labelledby="failed-heading">
          <h2 id="failed-heading">Failed</h2>
          {failed.length === 0 ? (
            <p class="muted">No failed job.</p>
          ) : (
            <ul class="plain">
              {failed.map((job) => (
                <li key={job.id} class="queue-row">
                  <div class="what">
                    <strong class="file-name">{nameOf(job)}</strong>
                    <span class="muted">{job.failure_reason ?? job.last_error ?? "failed"}</span>
                  </div>
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() =>
                      void act(
                        () => data(api.POST("/orgs/{orgId}/jobs/{jobId}/retry", jobPath(job))),
                        `${nameOf(job)} is queued again.`,
                      )
                    }
                  >
                    Retry
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      </>
    );
  }

  return (
    <>
      <h1>Queue</h1>
      <p class="lead">
        Jobs print in this order: higher priority first, then by place. Drag a job, or use its ↑ ↓
        buttons, to change its place.
      </p>
      <p class="visually-hidden" role="status">
        {said}
      </p>
      {problem ? <Failure error={problem} /> : null}
      {body}
      <section class="card" aria-labelledby="settings-heading">
        <h2 id="settings-heading">Queue settings</h2>
        <QueueSettings orgId={orgId} canManage={props.canManage} />
      </section>
    </>
  );
}
