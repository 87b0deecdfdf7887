// Standard Webhooks (https://www.standardwebhooks.com, spec "Signature scheme"): the secret
// is `whsec_` + base64 of 24–64 random bytes; the signed content is
// `${webhook-id}.${webhook-timestamp}.${body}`; the signature header is a space-separated
// list of `v1,<base64 HMAC-SHA256>` (a list, so a rotated secret can sign twice).
import { createHmac, randomBytes } from "node:crypto";

export const WEBHOOK_SECRET_PREFIX = "whsec_";

export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(32).toString("base64");
}

function secretBytes(secret: string): Buffer {
  return Buffer.from(secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret, "base64");
}

export function signWebhook(secret: string, msgId: string, timestampSeconds: number, body: string): string {
  const mac = createHmac("sha256", secretBytes(secret)).update(`${msgId}.${timestampSeconds}.${body}`, "utf8").digest("base64");
  return `v1,${mac}`;
}

/** The stable `webhook-id` of one event sent to one endpoint: the receiver's idempotency key. */
export function webhookMessageId(eventId: bigint | string, endpointId: string): string {
  return `msg_${eventId}_${endpointId.replaceAll("-", "")}`;
}

export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

export function buildSignedRequest(secret: string, msgId: string, payload: unknown, now = new Date()): SignedRequest {
  const body = JSON.stringify(payload);
  const ts = Math.floor(now.getTime() / 1000);
  return {
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "Roster-Webhooks/1",
      "webhook-id": msgId,
      "webhook-timestamp": String(ts),
      "webhook-signature": signWebhook(secret, msgId, ts, body),
    },
  };
}
