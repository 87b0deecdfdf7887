// Secrets are random, shown once, and stored only as SHA-256 digests. A 256-bit random
// secret needs no slow hash: nothing about it can be guessed from its digest.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** `rst_` + 43 base64url characters (256 bits). */
export function generateSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

export function digestSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Constant-time equality of two hex digests (or any strings of equal length). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/** What lists show: the type prefix and the first 6 characters of the random part. */
export function displayPrefix(secret: string, prefix: string): string {
  return secret.slice(0, prefix.length + 6);
}
