/** One event of the organization's stream: its type and the object after the change. */
export interface StreamEvent {
  type: string;
  data: Record<string, unknown>;
}

export interface StreamHandle {
  close(): void;
}

/**
 * Listens to `GET /api/orgs/{orgId}/events/stream` with the browser's EventSource (which resumes
 * with Last-Event-ID by itself after a drop). `onState` says whether the stream is up, so that a
 * page may poll only while it is down.
 */
export function openEventStream(
  orgId: string,
  types: readonly string[],
  onEvent: (event: StreamEvent) => void,
  onState: (up: boolean) => void,
): StreamHandle {
  const query = new URLSearchParams({ types: types.join(",") });
  const source = new EventSource(`/api/orgs/${encodeURIComponent(orgId)}/events/stream?${query}`);
  source.onopen = () => onState(true);
  source.onerror = () => onState(false);
  const listener = (message: MessageEvent<string>) => {
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      return;
    }
    if (data && typeof data === "object") {
      onEvent({ type: message.type, data: data as Record<string, unknown> });
    }
  };
  for (const type of types) source.addEventListener(type, listener);
  return { close: () => source.close() };
}
