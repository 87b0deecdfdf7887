import assert from "node:assert/strict";
import { test } from "node:test";
import { useHarness } from "../helpers/harness.ts";
import { revocationTests } from "./sessions-revocation.shared.ts";

const h = await useHarness();

test("the deny-list is the RevokedSession table without REDIS_URL", () => {
  assert.equal(h.container.redis, undefined);
});

revocationTests(h, "postgres");
