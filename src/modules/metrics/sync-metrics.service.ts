// Directory-sync metrics from the rows the worker writes: deprovision latency (event commit →
// every session revoked, from receipts), webhook delivery latency (event commit → 2xx, from
// the delivery log) and relay lag (age of the oldest unrelayed event). Percentiles are
// computed in PostgreSQL over a recent window, so any web process can answer.
import type { Db } from "../../db/client.ts";

export interface LatencySummary {
  count: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

export interface SyncMetrics {
  windowMinutes: number;
  deprovision: LatencySummary;
  webhooks: LatencySummary & { pending: number; failing: number; dead: number };
  relay: { unrelayed: number; oldestUnrelayedAgeMs: number };
}

const summary = (r: { n: number; p50: number | null; p99: number | null; max: number | null } | undefined): LatencySummary => ({
  count: r?.n ?? 0,
  p50Ms: r?.p50 == null ? null : Math.round(r.p50),
  p99Ms: r?.p99 == null ? null : Math.round(r.p99),
  maxMs: r?.max == null ? null : Math.round(r.max),
});

export function createSyncMetricsService(deps: { db: Db; relayLag(): Promise<{ unrelayed: number; oldestUnrelayedAgeMs: number }> }) {
  const { db } = deps;
  return {
    async snapshot(windowMinutes = 60): Promise<SyncMetrics> {
      const since = new Date(Date.now() - windowMinutes * 60_000);
      type Agg = { n: number; p50: number | null; p99: number | null; max: number | null };
      const [[dep], [wh], [counts], relay] = await Promise.all([
        db.$queryRaw<Agg[]>`
          SELECT count(*)::int AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY "elapsedMs")::float8 AS p50,
                 percentile_cont(0.99) WITHIN GROUP (ORDER BY "elapsedMs")::float8 AS p99, max("elapsedMs")::float8 AS max
            FROM "DeprovisionReceipt" WHERE "completedAt" >= ${since}`,
        db.$queryRaw<Agg[]>`
          SELECT count(*)::int AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY "latencyMs")::float8 AS p50,
                 percentile_cont(0.99) WITHIN GROUP (ORDER BY "latencyMs")::float8 AS p99, max("latencyMs")::float8 AS max
            FROM "WebhookDelivery" WHERE "deliveredAt" >= ${since} AND "latencyMs" IS NOT NULL`,
        db.$queryRaw<{ pending: number; failing: number; dead: number }[]>`
          SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'failed')::int AS failing,
                 count(*) FILTER (WHERE status = 'dead' AND "updatedAt" >= ${since})::int AS dead
            FROM "WebhookDelivery" WHERE status IN ('pending', 'failed', 'dead')`,
        deps.relayLag(),
      ]);
      return {
        windowMinutes,
        deprovision: summary(dep),
        webhooks: { ...summary(wh), pending: counts?.pending ?? 0, failing: counts?.failing ?? 0, dead: counts?.dead ?? 0 },
        relay,
      };
    },
  };
}

/** Prometheus text exposition (version 0.0.4) of a snapshot. */
export function toPrometheus(m: SyncMetrics): string {
  const lines: string[] = [];
  const gauge = (name: string, help: string, samples: [labels: string, value: number | null][]) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const [labels, v] of samples) if (v !== null) lines.push(`${name}${labels} ${v}`);
  };
  const q = (s: LatencySummary): [string, number | null][] => [['{quantile="0.5"}', s.p50Ms], ['{quantile="0.99"}', s.p99Ms], ['{quantile="1"}', s.maxMs]];
  gauge("roster_deprovision_latency_ms", `Event commit to sessions revoked, last ${m.windowMinutes} min`, q(m.deprovision));
  gauge("roster_deprovisions_recent", `Deprovisions completed in the last ${m.windowMinutes} min`, [["", m.deprovision.count]]);
  gauge("roster_webhook_delivery_latency_ms", `Event commit to 2xx from the endpoint, last ${m.windowMinutes} min`, q(m.webhooks));
  gauge("roster_webhook_deliveries", "Webhook deliveries by state", [['{state="pending"}', m.webhooks.pending], ['{state="failing"}', m.webhooks.failing], ['{state="dead_recent"}', m.webhooks.dead], ['{state="succeeded_recent"}', m.webhooks.count]]);
  gauge("roster_relay_lag_ms", "Age of the oldest event not yet relayed to the queues", [["", m.relay.oldestUnrelayedAgeMs]]);
  gauge("roster_relay_backlog", "Events not yet relayed (counted up to 100000)", [["", m.relay.unrelayed]]);
  return lines.join("\n") + "\n";
}

export type SyncMetricsService = ReturnType<typeof createSyncMetricsService>;
