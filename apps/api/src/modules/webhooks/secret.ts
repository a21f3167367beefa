import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/** A new signing secret: `whsec_` and 32 random bytes, base64 (Standard Webhooks' form). */
export function mintWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/**
 * The `webhook-signature` header of a message: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`
 * for each secret (the current one, and the previous one while a roll's 24 hours last),
 * space-separated; made by the standardwebhooks package, which every receiver library matches.
 */
export function signatureHeader(
  secrets: readonly string[],
  messageId: string,
  at: Date,
  body: string,
): string {
  return secrets.map((s) => new Webhook(s).sign(messageId, at, body)).join(" ");
}
