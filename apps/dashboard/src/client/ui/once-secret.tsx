import type { ComponentChildren } from "preact";
import { useId, useRef, useState } from "preact/hooks";

/** A secret shown once, with a copy button and the plain warning that it will not be shown again. */
export function OnceSecret(props: { label: string; secret: string; children?: ComponentChildren }) {
  const id = useId();
  const box = useRef<HTMLTextAreaElement>(null);
  const [status, setStatus] = useState("");
  async function copy() {
    box.current?.select();
    try {
      await navigator.clipboard.writeText(props.secret);
      setStatus("Copied.");
    } catch {
      setStatus("Selected: press Ctrl+C to copy.");
    }
  }
  return (
    <section class="once">
      <label for={id}>{props.label}</label>
      <textarea
        id={id}
        ref={box}
        readOnly
        rows={props.secret.includes("\n") ? 10 : 2}
        class="secret"
        value={props.secret}
      />
      <div class="actions">
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
        <span role="status" class="copied">
          {status}
        </span>
      </div>
      <p class="warning">Save it now: you will not see it again.</p>
      {props.children}
    </section>
  );
}
