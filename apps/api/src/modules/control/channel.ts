import type { CommandAction } from "@apf/db";
import { isAgentRevoked } from "@apf/db/queries/agents";
import {
  closeCommandChannel,
  openCommandChannel,
  pruneCommandChannels,
  setCommandChannelEnd,
} from "@apf/db/queries/command-channels";
import { dispatchPendingCommands } from "@apf/db/queries/commands";
import type { AgentPrincipal, Services } from "../../context.ts";
import { agentTopic } from "./bus.ts";
import { expireOverdue } from "./expiry.ts";
import { waitFor } from "./wait.ts";

/**
 * After a poll answers, its channel stays open this long: the agent polls again as soon as it has
 * carried out what it received and reported the result, which on a busy host can take seconds. An
 * agent that hangs up closes its channel at once, and a command sent meanwhile still expires 30 s
 * after its request, so the grace never makes a command late.
 */
export const CHANNEL_GRACE_MS = 15_000;
/** How often an open poll re-reads in case a wake-up was lost (Redis blip, another instance). */
const RECHECK_MS = 2_000;
/** Channel rows that lapsed this long ago are removed (left by a stopped instance). */
const PRUNE_AFTER_MS = 60_000;
/**
 * Most long polls one agent may hold open at once, across instances (an agent needs one; a few
 * allow for a restart while the old process's poll is still open). More would let one token fill
 * an instance's connections.
 */
export const MAX_OPEN_POLLS_PER_AGENT = 3;

/** A command as the agent receives it. */
export interface DeliveredCommand {
  id: string;
  machineId: string | null;
  action: CommandAction;
  requestedAt: Date;
  /** The queued job a `print` command starts. */
  jobId: string | null;
}

export type ChannelOutcome =
  | { kind: "commands"; commands: DeliveredCommand[] }
  /** The agent's token was revoked while it waited: the channel closes with 401. */
  | { kind: "revoked" }
  /** Nothing within the wait, or the agent went away. */
  | { kind: "empty" }
  /** The agent already holds MAX_OPEN_POLLS_PER_AGENT open polls: this one is refused. */
  | { kind: "too_many_polls" };

type ChannelServices = Pick<Services, "db" | "clock" | "commandBus" | "dispatcher">;

/**
 * One long poll of an agent's command channel: while it is open the agent counts as connected.
 * Answers as soon as commands are pending for the agent (each marked dispatched exactly once),
 * after `waitMs` with nothing, or when the agent's token is revoked; at once, with
 * `too_many_polls`, when the agent already holds MAX_OPEN_POLLS_PER_AGENT open polls.
 */
export async function awaitAgentCommands(
  services: ChannelServices,
  agent: AgentPrincipal,
  options: { waitMs: number; signal?: AbortSignal },
): Promise<ChannelOutcome> {
  const { db, clock, commandBus } = services;
  const { agentId } = agent;
  const opened = clock.now();
  await pruneCommandChannels(db, new Date(opened.getTime() - PRUNE_AFTER_MS));
  const channel = await openCommandChannel(
    db,
    agentId,
    new Date(opened.getTime() + options.waitMs + CHANNEL_GRACE_MS),
    new Date(opened.getTime() + CHANNEL_GRACE_MS),
    MAX_OPEN_POLLS_PER_AGENT,
    opened,
  );
  if (channel === null) return { kind: "too_many_polls" };
  const channelId = channel.id;
  // The agent's printers can take queued jobs from now on.
  if (channel.connected) services.dispatcher.wake(agent.organizationId);
  const { signal } = options;
  let outcome: ChannelOutcome = { kind: "empty" };
  try {
    outcome =
      (await waitFor<ChannelOutcome>(commandBus, {
        topic: agentTopic(agentId),
        timeoutMs: options.waitMs,
        recheckMs: RECHECK_MS,
        ...(signal ? { signal } : {}),
        check: async () => {
          if (signal?.aborted) return undefined;
          if (await isAgentRevoked(db, agentId)) return { kind: "revoked" };
          await expireOverdue(services, { agentId });
          // Once taken here a command leaves with this answer and is never dispatched again, so
          // take nothing for an agent that has already hung up.
          if (signal?.aborted) return undefined;
          const commands = await dispatchPendingCommands(db, agentId, clock.now());
          return commands.length > 0 ? { kind: "commands", commands } : undefined;
        },
      })) ?? outcome;
  } finally {
    // A poll that answered keeps the channel open for the agent's next one; one the agent
    // abandoned (it stopped, or its token was revoked) closes it at once.
    if (options.signal?.aborted || outcome.kind === "revoked") {
      await closeCommandChannel(db, channelId);
    } else {
      await setCommandChannelEnd(db, channelId, new Date(clock.now().getTime() + CHANNEL_GRACE_MS));
    }
  }
  return outcome;
}
