import type { Answer } from "../../api/types.ts";

export type ApiKey = Answer<"/orgs/{orgId}/api-keys">["data"][number];

/** Active, expired, revoked, or revoked because it leaked (reported by a secret scanner). */
export function keyStatus(key: ApiKey): { text: string; className: string } {
  if (key.revoked_at && key.revoked_reason === "leaked") {
    return { text: "Leaked — revoked", className: "badge bad" };
  }
  if (key.revoked_at) return { text: "Revoked", className: "badge muted" };
  if (key.expires_at && new Date(key.expires_at).getTime() <= Date.now()) {
    return { text: "Expired", className: "badge muted" };
  }
  if (key.replaced_by) {
    return { text: `Active — replaced by ${key.replaced_by.preview}`, className: "badge good" };
  }
  return { text: "Active", className: "badge good" };
}
