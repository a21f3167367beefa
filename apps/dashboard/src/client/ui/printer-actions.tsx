import { useState } from "preact/hooks";
import { api, data } from "../api/client.ts";
import type { Printer } from "../api/types.ts";
import { confirmDialog } from "./confirm.ts";
import { Failure } from "./failure.tsx";
import { label } from "./format.ts";

type Action = Printer["available_actions"][number];

export const ACTION_NAMES: Record<Action, string> = {
  pause: "Pause",
  resume: "Resume",
  stop: "Stop",
  clear_bed: "Bed cleared",
};

/**
 * A button for each action the server says the printer allows now (`available_actions`), and
 * no other: which actions fit a status is the server's rule. Stop asks first. `only` limits the
 * buttons (the card shows the bed's button apart).
 */
export function PrinterActions(props: {
  orgId: string;
  printer: Pick<Printer, "id" | "name" | "available_actions">;
  only?: readonly Action[];
  done?: () => void;
}) {
  const { printer } = props;
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ ok: string } | { error: unknown } | null>(null);
  const actions = printer.available_actions.filter((a) => !props.only || props.only.includes(a));

  async function run(action: Action) {
    if (
      action === "stop" &&
      !(await confirmDialog(`Stop the print on ${printer.name}?`, "Stop print"))
    )
      return;
    setBusy(true);
    try {
      const answer = await data(
        api.POST("/orgs/{orgId}/printers/{printerId}/control", {
          params: { path: { orgId: props.orgId, printerId: printer.id } },
          body: { action },
        }),
      );
      setSaid({ ok: `${ACTION_NAMES[action]}: ${label(answer.data.status)}.` });
      props.done?.();
    } catch (error) {
      setSaid({ error });
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      {actions.map((action) => (
        <button
          key={action}
          type="button"
          class={action === "stop" ? "danger" : action === "clear_bed" ? "primary" : undefined}
          disabled={busy}
          aria-label={`${ACTION_NAMES[action]} ${printer.name}`}
          onClick={() => void run(action)}
        >
          {ACTION_NAMES[action]}
        </button>
      ))}
      {said && "ok" in said ? (
        <span class="flash" role="status">
          {said.ok}
        </span>
      ) : null}
      {said && "error" in said ? <Failure error={said.error} /> : null}
    </>
  );
}
