// Unique user and group bodies. Every name carries the run id so concurrent runs against one
// server never collide, and so a run's leftovers are easy to spot.
import { randomBytes } from "node:crypto";
import { URN } from "./assert.ts";

export class Fixtures {
  readonly run = randomBytes(4).toString("hex");
  private n = 0;

  /** A fresh token unique to this run: `<label>-<run>-<n>`. */
  uniq(label: string): string {
    this.n += 1;
    return `${label}-${this.run}-${this.n}`;
  }

  userName(label = "user"): string {
    return `conf-${this.uniq(label)}@example.test`;
  }

  user(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const userName = typeof overrides.userName === "string" ? overrides.userName : this.userName();
    const local = userName.split("@")[0] ?? userName;
    return {
      schemas: [URN.user],
      userName,
      externalId: `ext-${local}`,
      name: { givenName: "Conf", familyName: local, formatted: `Conf ${local}` },
      displayName: `Conf ${local}`,
      emails: [{ value: `${local}@work.example.test`, type: "work", primary: true }],
      active: true,
      ...overrides,
    };
  }

  group(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      schemas: [URN.group],
      displayName: `conf-group-${this.uniq("g")}`,
      ...overrides,
    };
  }

  /** A random id that no server has issued. */
  missingId(): string {
    const h = randomBytes(16).toString("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

export function patchOp(...operations: Record<string, unknown>[]): Record<string, unknown> {
  return { schemas: [URN.patch], Operations: operations };
}
