import {
  type ComponentChildren,
  createContext,
  type InputHTMLAttributes,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "preact";
import { useContext, useId, useState } from "preact/hooks";
import { ApiFailure } from "../api/failure.ts";

/** The API's complaint about the last submit: the field it names, if any, and its sentence. */
interface Complaint {
  field?: string;
  message: string;
}

const ComplaintContext = createContext<Complaint | null>(null);

function complaintOf(error: unknown): Complaint {
  const failure =
    error instanceof ApiFailure ? error : new ApiFailure(0, "CLIENT", String(error ?? "Error"));
  const message = failure.notAvailable
    ? "This action is not available on this server."
    : failure.message;
  return { field: failure.field, message };
}

/**
 * A form that hands its FormData to `onSubmit`. While it runs the button is disabled; an API
 * error is shown by the field it names (a {@link Field} of that `name`), else above the button.
 */
export function ApiForm(props: {
  label: string;
  submit: string;
  class?: string;
  onSubmit: (data: FormData, form: HTMLFormElement) => Promise<void>;
  children?: ComponentChildren;
}) {
  const [busy, setBusy] = useState(false);
  const [complaint, setComplaint] = useState<Complaint | null>(null);
  const [fieldNames, setFieldNames] = useState<string[]>([]);
  async function submit(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    setComplaint(null);
    setBusy(true);
    try {
      await props.onSubmit(new FormData(form), form);
    } catch (error) {
      const c = complaintOf(error);
      const names = [...form.querySelectorAll("[data-field]")].map(
        (el) => (el as HTMLElement).dataset.field ?? "",
      );
      setFieldNames(names);
      setComplaint(c);
    } finally {
      setBusy(false);
    }
  }
  const atField = complaint?.field !== undefined && fieldNames.includes(complaint.field);
  return (
    <form aria-label={props.label} class={props.class ?? "stack"} noValidate onSubmit={submit}>
      <ComplaintContext.Provider value={complaint}>{props.children}</ComplaintContext.Provider>
      <p class="error form-error" role="alert" hidden={!complaint || atField}>
        {complaint && !atField ? complaint.message : null}
      </p>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {props.submit}
        </button>
      </div>
    </form>
  );
}

type ControlProps = InputHTMLAttributes<HTMLInputElement> &
  SelectHTMLAttributes<HTMLSelectElement> &
  TextareaHTMLAttributes<HTMLTextAreaElement>;

/**
 * A labelled control with its hint and its error slot. `name` is the API's body field, so an
 * INVALID_REQUEST naming that field lands here.
 */
export function Field(
  props: {
    label: string;
    name: string;
    hint?: ComponentChildren;
    control?: "input" | "select" | "textarea";
    children?: ComponentChildren;
  } & Omit<ControlProps, "label" | "name">,
) {
  const { label, name, hint, control = "input", children, ...rest } = props;
  const id = useId();
  const complaint = useContext(ComplaintContext);
  const mine = complaint?.field === name ? complaint.message : null;
  const Tag = control as "input";
  return (
    <div class="field" data-field={name}>
      <label for={id}>{label}</label>
      <Tag
        type={control === "input" ? "text" : undefined}
        {...(rest as InputHTMLAttributes<HTMLInputElement>)}
        id={id}
        name={name}
        aria-describedby={hint ? `${id}-hint ${id}-error` : `${id}-error`}
        aria-invalid={mine ? "true" : undefined}
      >
        {children}
      </Tag>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <p class="error" id={`${id}-error`} role="alert" hidden={!mine}>
        {mine}
      </p>
    </div>
  );
}

/** A trimmed text value, or undefined when empty. */
export function text(data: FormData, name: string): string | undefined {
  const value = data.get(name);
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

/** A number typed into a field, or undefined when empty (the API judges the value). */
export function number(data: FormData, name: string): number | undefined {
  const value = text(data, name);
  return value === undefined ? undefined : Number(value);
}

/** The error slot of a field that is not a {@link Field}, such as a group of checkboxes. */
export function FieldError(props: { name: string }) {
  const complaint = useContext(ComplaintContext);
  const mine = complaint?.field === props.name ? complaint.message : null;
  return (
    <p class="error" role="alert" hidden={!mine}>
      {mine}
    </p>
  );
}
