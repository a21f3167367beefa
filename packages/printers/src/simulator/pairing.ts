import { randomBytes } from "node:crypto";

/** OctoPrint drops a pending request whose poll endpoint was not called for more than 5 s. */
export const PAIRING_STALE_MS = 5_000;

interface PendingRequest {
  app: string;
  user: string | null;
  decision: "pending" | "granted" | "denied";
  apiKey: string | null;
  lastPolledAt: number;
}

/** Outcome of one poll, mapped by the HTTP layer to 202 / 200 / 404. */
export type PollResult =
  | { kind: "pending" }
  | { kind: "granted"; apiKey: string }
  | { kind: "gone" };

/**
 * The Application Keys plugin's request store (docs/bundledplugins/appkeys.rst): requests wait for
 * a decision, granted keys join the printer's accepted keys, denied or stale requests vanish.
 */
export class PairingStore {
  private readonly requests = new Map<string, PendingRequest>();

  constructor(
    private readonly now: () => number,
    private readonly grantKey: (app: string) => string,
    private readonly autoApprove: () => boolean,
  ) {}

  /** Starts a request and returns its app token. */
  open(app: string, user: string | null): string {
    const token = randomBytes(16).toString("hex");
    this.requests.set(token, {
      app,
      user,
      decision: "pending",
      apiKey: null,
      lastPolledAt: this.now(),
    });
    if (this.autoApprove()) this.decide(true);
    return token;
  }

  /** Answers a poll; a granted key is handed out once, then the request is gone as in OctoPrint. */
  poll(token: string): PollResult {
    this.dropStale();
    const request = this.requests.get(token);
    if (!request || request.decision === "denied") {
      this.requests.delete(token);
      return { kind: "gone" };
    }
    if (request.decision === "granted" && request.apiKey) {
      this.requests.delete(token);
      return { kind: "granted", apiKey: request.apiKey };
    }
    request.lastPolledAt = this.now();
    return { kind: "pending" };
  }

  /** Decides every pending request, as a user clicking Allow/Deny in OctoPrint's UI would. */
  decide(grant: boolean): number {
    this.dropStale();
    let decided = 0;
    for (const request of this.requests.values()) {
      if (request.decision !== "pending") continue;
      request.decision = grant ? "granted" : "denied";
      if (grant) request.apiKey = this.grantKey(request.app);
      decided += 1;
    }
    return decided;
  }

  /** Number of requests still waiting for a decision. */
  pendingCount(): number {
    this.dropStale();
    return [...this.requests.values()].filter((r) => r.decision === "pending").length;
  }

  private dropStale(): void {
    const t = this.now();
    for (const [token, request] of this.requests) {
      if (request.decision === "pending" && t - request.lastPolledAt > PAIRING_STALE_MS) {
        this.requests.delete(token);
      }
    }
  }
}
