// pino, with redaction as a second line of defence: code logs ids and operation names,
// never tokens, secrets or SCIM bodies.
import { pino, type Logger } from "pino";

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "roster" },
    redact: {
      paths: ["authorization", "*.authorization", "headers.authorization", "token", "*.token", "secret", "*.secret", "password", "*.password"],
      censor: "[redacted]",
    },
  });
}
