// The key-encryption key (KEK) and AES-256-GCM sealing of secrets at rest (signing keys).
// Configured through ROSTER_KEY_ENCRYPTION_KEY; in embedded mode without one, a key file is
// generated once under ROSTER_DATA_DIR (mode 0600) and reused on every start.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, decodeKeyEncryptionKey, type Config } from "../config.ts";

const VERSION = "v1";
const KEY_FILE = "key-encryption-key";

export function resolveKeyEncryptionKey(config: Pick<Config, "ROSTER_KEY_ENCRYPTION_KEY" | "ROSTER_DATA_DIR" | "embedded">): Buffer {
  if (config.ROSTER_KEY_ENCRYPTION_KEY) {
    const key = decodeKeyEncryptionKey(config.ROSTER_KEY_ENCRYPTION_KEY);
    if (!key) throw new ConfigError("ROSTER_KEY_ENCRYPTION_KEY must be 32 bytes, base64 or hex encoded");
    return key;
  }
  if (!config.embedded) throw new ConfigError("ROSTER_KEY_ENCRYPTION_KEY is required when DATABASE_URL is set");
  const path = join(config.ROSTER_DATA_DIR, KEY_FILE);
  mkdirSync(config.ROSTER_DATA_DIR, { recursive: true });
  try {
    // `wx` fails if the file exists, so two processes starting at once cannot overwrite each other.
    writeFileSync(path, randomBytes(32).toString("base64") + "\n", { mode: 0o600, flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  const key = decodeKeyEncryptionKey(readFileSync(path, "utf8"));
  if (!key) throw new ConfigError(`${path} does not hold a 32-byte base64 key`);
  return key;
}

/**
 * Seals plaintext as `v1.<iv>.<tag>.<ciphertext>` (base64url). `context` is bound as GCM
 * additional data (e.g. the kid), so a sealed value cannot be moved to another row.
 */
export function seal(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

export function unseal(key: Buffer, sealed: string, context: string): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error("unsupported sealed value");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}
