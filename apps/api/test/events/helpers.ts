import type { EventType } from "@apf/domain";
import { SYSTEM_ACTOR } from "../../src/modules/audit/audit.ts";
import { recordChange } from "../../src/modules/events/record-change.ts";
import type { TestServices } from "../support/services.ts";

/** Records events of an organization as a change would, and waits until they are numbered. */
export async function emit(
  services: TestServices,
  organizationId: string,
  ...events: { type: EventType; data?: Record<string, unknown> }[]
) {
  await services.db.transaction((tx) =>
    recordChange(tx, SYSTEM_ACTOR, {
      organizationId,
      events: events.map((e) => ({ type: e.type, data: e.data ?? {} })),
    }),
  );
  await services.events.relay.runOnce();
}
