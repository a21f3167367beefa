import { useEffect, useState } from "preact/hooks";
import { api, data } from "../../api/client.ts";
import type { Answer } from "../../api/types.ts";
import { openEventStream } from "../../live/event-stream.ts";
import type { OrgPageProps } from "../../pages.ts";
import { Failure } from "../../ui/failure.tsx";
import { ago, label } from "../../ui/format.ts";
import { useLoad } from "../../ui/use-load.ts";

type Task = Answer<"/orgs/{orgId}/worklist">["data"][number];

const TASK_EVENTS = ["worklist.task_created", "worklist.task_completed"];

/**
 * The technician's list at the printer: what to collect, with one large button each. Completing
 * a collection task clears the printer's bed, so the queue may start its next job.
 */
export function WorklistPage(props: OrgPageProps) {
  const orgId = props.org.id;
  const [tasks, reload] = useLoad(async () => {
    const [list, printers] = await Promise.all([
      data(
        api.GET("/orgs/{orgId}/worklist", {
          params: { path: { orgId }, query: { status: "pending", limit: 100 } },
        }),
      ),
      data(api.GET("/orgs/{orgId}/printers", { params: { path: { orgId } } })),
    ]);
    return { tasks: list.data, names: new Map(printers.data.map((p) => [p.id, p.name])) };
  }, [orgId]);
  const [error, setError] = useState<unknown>(null);
  const [said, setSaid] = useState("");

  useEffect(() => {
    const stream = openEventStream(
      orgId,
      TASK_EVENTS,
      () => void reload(),
      () => undefined,
    );
    return () => stream.close();
  }, [orgId]);

  async function complete(task: Task, printer: string) {
    setError(null);
    try {
      await data(
        api.POST("/orgs/{orgId}/worklist/{taskId}/complete", {
          params: { path: { orgId, taskId: task.id } },
        }),
      );
      setSaid(
        task.task_type === "collection" ? `${printer}: bed cleared.` : `${task.title}: done.`,
      );
      await reload();
    } catch (e) {
      setError(e);
    }
  }

  let body: preact.ComponentChildren;
  if (tasks.state === "loading") body = <p class="loading">Loading the worklist…</p>;
  else if (tasks.state === "failed") body = <Failure error={tasks.error} />;
  else if (tasks.value.tasks.length === 0) {
    body = (
      <div class="empty">
        <p>
          <strong>Nothing to do.</strong>
        </p>
        <p>When a print ends, collecting it appears here.</p>
      </div>
    );
  } else {
    body = (
      <ul class="plain tasks" aria-label="Tasks">
        {tasks.value.tasks.map((task) => {
          const printer = task.printer_id
            ? (tasks.value.names.get(task.printer_id) ?? "a printer")
            : "";
          return (
            <li key={task.id} class="task card" aria-label={task.title}>
              <div>
                <strong>{task.title}</strong>
                {task.subtitle ? <p class="muted">{task.subtitle}</p> : null}
                <p class="muted">
                  {label(task.task_type)}
                  {printer ? ` · ${printer}` : ""} · {ago(task.created_at)}
                </p>
              </div>
              <button
                type="button"
                class="primary big"
                onClick={() => void complete(task, printer)}
              >
                {task.task_type === "collection"
                  ? `Bed cleared${printer ? ` on ${printer}` : ""}`
                  : "Done"}
              </button>
            </li>
          );
        })}
      </ul>
    );
  }
  return (
    <>
      <h1>Worklist</h1>
      <p class="visually-hidden" role="status">
        {said}
      </p>
      {error ? <Failure error={error} /> : null}
      {body}
    </>
  );
}
