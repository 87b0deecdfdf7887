// One webhook delivery: POST one event to one endpoint, signed per Standard Webhooks. Each
// (event, endpoint) pair is its own job, so a slow or failing endpoint only occupies its own
// jobs (bounded by WEBHOOK_TIMEOUT_MS each) and never delays other endpoints. Failures retry
// with exponential backoff and jitter (webhookBackoff) for WEBHOOK_MAX_ATTEMPTS attempts,
// then the delivery is dead-lettered (status "dead"); an admin can redeliver it.
//
// Order per resource (see relay.ts): a delivery starts only when the endpoint has settled
// every earlier event of the same resource. While it waits it parks as a delayed job, and the
// delivery that settles promotes the next one, so a healthy endpoint sees no added delay.
// Idempotent: the `webhook-id` header is stable per (event, endpoint) so receivers can dedupe,
// and a succeeded delivery is never sent again except by an explicit redelivery.
import { DelayedError, type Job } from "bullmq";
import { toEventView } from "../../src/modules/events-feed/event-view.ts";
import { buildSignedRequest, webhookMessageId } from "../../src/modules/webhooks/signing.ts";
import { jobIds, QUEUES } from "../queues.ts";
import { defineJob, type JobDeps } from "./job.ts";
import { assertPublicDestination } from "../../src/modules/webhooks/egress.ts";

/** Exponential backoff with ±25 % jitter, capped; attempt 1 is the first retry. */
export function webhookBackoff(attemptsMade: number, baseMs: number, maxMs: number, random = Math.random): number {
  const exp = Math.min(baseMs * 2 ** Math.max(0, attemptsMade - 1), maxMs);
  return Math.round(exp * (0.75 + random() * 0.5));
}

function describe(err: unknown, timeoutMs: number): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `timed out after ${timeoutMs} ms`;
  return (e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err)).slice(0, 500);
}

/** An earlier event of the same resource still unrelayed, or still undelivered to this endpoint. */
async function blockedByEarlier(deps: JobDeps, d: { endpointId: string; resourceKey: string; eventId: bigint; tenantId: string }): Promise<boolean> {
  const slash = d.resourceKey.indexOf("/");
  const resourceType = d.resourceKey.slice(0, slash);
  const resourceId = d.resourceKey.slice(slash + 1);
  // A live delivery is touched at least every WEBHOOK_RETRY_MAX_MS (attempts and waits both
  // update it); one untouched for far longer lost its job and must not block forever.
  const staleBefore = new Date(Date.now() - 2 * deps.config.WEBHOOK_RETRY_MAX_MS - 2 * deps.config.WEBHOOK_TIMEOUT_MS - 60_000);
  const [row] = await deps.db.$queryRaw<{ blocked: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM "Event" WHERE "tenantId" = ${d.tenantId} AND "resourceType" = ${resourceType}
                      AND "resourceId" = ${resourceId} AND id < ${d.eventId} AND "relayedAt" IS NULL)
        OR EXISTS (SELECT 1 FROM "WebhookDelivery" WHERE "endpointId" = ${d.endpointId} AND "resourceKey" = ${d.resourceKey}
                      AND "eventId" < ${d.eventId} AND status IN ('pending', 'failed') AND "updatedAt" > ${staleBefore}) AS blocked`;
  return row?.blocked ?? false;
}

/** Wakes the next delivery of the same resource to the same endpoint, if it is parked. */
async function promoteNext(deps: JobDeps, d: { endpointId: string; resourceKey: string; eventId: bigint }) {
  const next = await deps.db.webhookDelivery.findFirst({
    where: { endpointId: d.endpointId, resourceKey: d.resourceKey, eventId: { gt: d.eventId }, status: "pending" },
    orderBy: { eventId: "asc" },
    select: { eventId: true },
  });
  if (!next) return;
  const job = await deps.queues.queue("webhooks").getJob(jobIds.delivery(next.eventId, d.endpointId));
  if (job && (await job.isDelayed())) await job.promote().catch(() => {});
}

export const webhookDeliveryJob = defineJob({
  name: "webhooks",
  payload: QUEUES.webhooks.payload,
  async handle(deps, p, { job, token }) {
    const eventId = BigInt(p.eventId);
    const [endpoint, event] = await Promise.all([
      deps.db.webhookEndpoint.findFirst({ where: { tenantId: p.tenantId, id: p.endpointId } }),
      deps.db.event.findUnique({ where: { id: eventId } }),
    ]);
    if (!endpoint) return { skipped: "endpoint deleted" };
    const where = { endpointId_eventId: { endpointId: p.endpointId, eventId } };
    let delivery = await deps.db.webhookDelivery.findUnique({ where });
    if (!delivery && event) {
      // The relay enqueued this job but its transaction rolled back: recreate the row.
      await deps.db.webhookDelivery.createMany({
        skipDuplicates: true,
        data: [{ tenantId: p.tenantId, endpointId: p.endpointId, eventId, eventType: event.type, resourceKey: `${event.resourceType}/${event.resourceId}` }],
      });
      delivery = await deps.db.webhookDelivery.findUnique({ where });
    }
    if (!delivery) return { skipped: "event no longer retained" };
    if (!p.manual && (delivery.status === "succeeded" || delivery.status === "dead")) return { duplicate: delivery.status };
    if (!event) {
      await deps.db.webhookDelivery.update({ where, data: { status: "dead", lastError: "event no longer retained" } });
      return { skipped: "event no longer retained" };
    }
    if (!endpoint.enabled) {
      await deps.db.webhookDelivery.update({ where, data: { status: "dead", lastError: "endpoint disabled" } });
      await promoteNext(deps, delivery);
      return { skipped: "endpoint disabled" };
    }
    if (!p.manual && (await blockedByEarlier(deps, delivery))) {
      await deps.db.webhookDelivery.update({ where, data: { updatedAt: new Date() } });
      // Park: older waits poll less often; the delivery ahead promotes this one when it settles.
      const age = Date.now() - delivery.createdAt.getTime();
      await job.moveToDelayed(Date.now() + Math.min(Math.max(age / 10, 200), 10_000), token);
      throw new DelayedError();
    }

    const msgId = webhookMessageId(eventId, endpoint.id);
    const view = toEventView(event);
    const req = buildSignedRequest(deps.webhooks.secretOf(endpoint), msgId, { type: view.type, timestamp: view.occurredAt, data: view });
    const timeoutMs = deps.config.WEBHOOK_TIMEOUT_MS;
    let status: number | null = null;
    let error: string | null = null;
    try {
      if (!deps.config.webhookAllowPrivateNetworks) await assertPublicDestination(endpoint.url);
      const res = await fetch(endpoint.url, { method: "POST", headers: req.headers, body: req.body, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
      status = res.status;
      await res.body?.cancel().catch(() => {});
      if (status < 200 || status > 299) error = `HTTP ${status}`;
    } catch (err) {
      error = describe(err, timeoutMs);
    }
    const now = new Date();
    if (!error) {
      await deps.db.webhookDelivery.update({
        where,
        data: { status: "succeeded", attempts: { increment: 1 }, lastStatusCode: status, lastError: null, deliveredAt: now, latencyMs: now.getTime() - event.createdAt.getTime() },
      });
      await promoteNext(deps, delivery);
      return { status };
    }
    const final = p.manual || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await deps.db.webhookDelivery.update({ where, data: { status: final ? "dead" : "failed", attempts: { increment: 1 }, lastStatusCode: status, lastError: error } });
    if (final) await promoteNext(deps, delivery);
    throw new Error(`webhook delivery failed: ${error}`);
  },
});

/** Jobs that failed without the handler seeing their last attempt (stalled too often): dead-letter them. */
export async function markExhausted(deps: JobDeps, job: Job | undefined) {
  if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
  const p = QUEUES.webhooks.payload.safeParse(job.data);
  if (!p.success) return;
  await deps.db.webhookDelivery.updateMany({
    where: { endpointId: p.data.endpointId, eventId: BigInt(p.data.eventId), status: { in: ["pending", "failed"] } },
    data: { status: "dead" },
  });
}
