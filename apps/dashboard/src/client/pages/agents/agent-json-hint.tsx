import { agentJson, SIMULATOR_COMMAND, SIMULATOR_MACHINES } from "../../agent-json.ts";
import { OnceSecret } from "../../ui/once-secret.tsx";

/** A new agent's agent.json, shown once, with what to fill in and how to run it. */
export function AgentJsonHint(props: { name: string; token: string }) {
  return (
    <>
      <h2>New agent</h2>
      <OnceSecret
        label={`agent.json for “${props.name}”`}
        secret={agentJson(location.origin, props.token)}
      >
        <p class="hint">
          Save it as agent.json on the computer next to the printers. Under <code>machines</code>,
          give each printer its OctoPrint <code>url</code> and <code>api_key</code> (one entry per
          printer), then run <code>apf-agent run --config agent.json</code>.
        </p>
        <p class="hint">
          No printer at hand? Start simulated ones from the repository with{" "}
          <code>{SIMULATOR_COMMAND}</code> and use these machines:
        </p>
        <pre>{JSON.stringify(SIMULATOR_MACHINES, null, 2)}</pre>
      </OnceSecret>
    </>
  );
}
