// The only reader of process.env. Parses the environment once with zod and fails fast
// with a message that names every bad variable.
import { z } from "zod";

const duration = z.coerce.number().int().positive();
const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

export const configSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default("0.0.0.0"),
  /** Public base URL used in SCIM `meta.location`, `Location` headers and the token issuer. */
  ROSTER_PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** PostgreSQL connection string; unset means the embedded PostgreSQL under ROSTER_DATA_DIR. */
  DATABASE_URL: z.url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  ROSTER_DATA_DIR: z.string().min(1).default(".data"),
  ROSTER_EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  /** Redis for BullMQ and the revocation deny-list; unset means both run on PostgreSQL. */
  REDIS_URL: z.url().optional(),
  /** Bootstrap vendor-admin token for /admin/v1 (at least 32 characters). */
  ROSTER_ADMIN_TOKEN: z.string().min(32, "must be at least 32 characters").optional(),
  /** 32 bytes, base64 or hex: encrypts signing keys and webhook secrets at rest. */
  ROSTER_KEY_ENCRYPTION_KEY: z.string().optional(),
  /** Run the relay and workers inside the web process (default: when REDIS_URL is unset). */
  ROSTER_RUN_WORKERS: bool.optional(),
  SCIM_TOKEN_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  SCIM_MAX_PAGE_SIZE: z.coerce.number().int().min(1).max(10000).default(1000),
  SCIM_MAX_BULK_OPERATIONS: z.coerce.number().int().min(1).max(10000).default(1000),
  SCIM_MAX_PAYLOAD_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  ACCESS_TOKEN_TTL_SECONDS: duration.min(60).max(3600).default(600),
  REFRESH_TOKEN_TTL_SECONDS: duration.default(30 * 24 * 3600),
  SESSION_IDLE_TIMEOUT_SECONDS: duration.default(7 * 24 * 3600),
  SESSION_ABSOLUTE_TIMEOUT_SECONDS: duration.default(30 * 24 * 3600),
  IMPERSONATION_TTL_SECONDS: duration.max(900).default(900),
  /** `aud` of the access tokens Roster issues (RFC 7519 §4.1.3). */
  ACCESS_TOKEN_AUDIENCE: z.string().min(1).max(200).default("roster"),
  /** Webhook URLs on loopback/private/link-local networks (default: allowed except in production). */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: bool.optional(),
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).default(90),
  /** Directory-sync worker (issue 6): how many jobs of each kind one process runs at once. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(50),
  /** How long a job stays locked to a worker without renewal: a killed worker's jobs run again after this. */
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  /** Per-attempt timeout of a webhook POST. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Attempts before a delivery is dead-lettered; with the defaults the retries span ~7 hours. */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(12),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(10_000),
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(10).default(3_600_000),
  /** Redis key prefix of the BullMQ queues (lets several deployments or test runs share a Redis). */
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, _ and - only").default("roster"),
  /** The relay's safety-net sweep interval (LISTEN/NOTIFY wakes it at once normally). */
  RELAY_SWEEP_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
});

export type Config = z.infer<typeof configSchema> & {
  /** True when DATABASE_URL is unset and Roster runs its own PostgreSQL. */
  embedded: boolean;
  publicUrl: string;
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS, defaulted by NODE_ENV. */
  webhookAllowPrivateNetworks: boolean;
};

/** 32 bytes as 64 hex characters, or as base64 / base64url. */
export function decodeKeyEncryptionKey(value: string): Buffer | null {
  const v = value.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(v) ? Buffer.from(v, "hex") : /^[A-Za-z0-9+/_-]{43}=?$/.test(v) ? Buffer.from(v, "base64") : null;
  return bytes && bytes.length === 32 ? bytes : null;
}

function checkKeyEncryptionKey(value: string): string | null {
  return decodeKeyEncryptionKey(value) ? null : "must be 32 bytes, base64 or hex encoded";
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset", as in most shells' `VAR= cmd`.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(environment)"}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const c = parsed.data;
  // Signing keys are encrypted at rest. Embedded mode generates a key file under
  // ROSTER_DATA_DIR; an external database means a deployment, whose key must be managed.
  const kekProblem = c.ROSTER_KEY_ENCRYPTION_KEY
    ? checkKeyEncryptionKey(c.ROSTER_KEY_ENCRYPTION_KEY)
    : c.DATABASE_URL
      ? "required when DATABASE_URL is set (32 random bytes, base64 or hex: `openssl rand -base64 32`)"
      : null;
  if (kekProblem) throw new ConfigError(`Invalid configuration:\n  ROSTER_KEY_ENCRYPTION_KEY: ${kekProblem}`);
  const publicUrl = (c.ROSTER_PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, "");
  return {
    ...c,
    embedded: !c.DATABASE_URL,
    publicUrl,
    webhookAllowPrivateNetworks: c.WEBHOOK_ALLOW_PRIVATE_NETWORKS ?? c.NODE_ENV !== "production",
  };
}
