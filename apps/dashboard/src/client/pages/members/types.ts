import type { Answer } from "../../api/types.ts";

export type Member = Answer<"/orgs/{orgId}/members">["data"][number];
export type Invitation = Answer<"/orgs/{orgId}/invitations">["data"][number];
/** Keys and agents a removed person minted, as the API lists them when it removes them. */
export type LeftBehind = Answer<"/orgs/{orgId}/members/{userId}", "delete">["data"]["credentials"];
