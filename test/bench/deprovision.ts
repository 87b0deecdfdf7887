// Deprovisioning latency, end to end: users holding live sessions are deactivated through SCIM
// at a fixed rate while a prober asks introspection about each one's access token; the latency
// is from the PATCH's response to the first introspection answer of active=false.
import type { Target } from "./targets.ts";

export interface DeprovisionOptions {
  databaseUrl: string;
  redisUrl: string;
  keyEncryptionKey: string;
  adminToken: string;
  tenantId: string;
  scimToken: string;
  quick: boolean;
  progress: (msg: string) => void;
  startRoster: (env: Record<string, string>) => Promise<Target>;
}

export async function measureDeprovision(o: DeprovisionOptions): Promise<Record<string, string>> {
  o.progress("deprovision latency: needs sessions (issue 5) and the worker (issue 6); not measured yet");
  return { redis: "not measured yet", postgres: "not measured yet" };
}
