import assert from "node:assert/strict";
import { test } from "node:test";
import { useHarness } from "../helpers/harness.ts";
import { revocationTests } from "./sessions-revocation.shared.ts";

const h = await useHarness({ REDIS_URL: "redis://127.0.0.1:6379" });

test("the deny-list is in Redis when REDIS_URL is set", () => {
  assert.ok(h.container.redis);
});

revocationTests(h, "redis");
