import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { ConfigError, loadConfig } from "../../src/config.ts";

test("defaults give an embedded configuration", () => {
  const c = loadConfig({});
  assert.equal(c.embedded, true);
  assert.equal(c.PORT, 8080);
  assert.equal(c.publicUrl, "http://localhost:8080");
});

const bad: [string, Record<string, string>, RegExp][] = [
  ["a non-numeric port", { PORT: "eighty" }, /PORT/],
  ["a port out of range", { PORT: "70000" }, /PORT/],
  ["a database URL that is not a URL", { DATABASE_URL: "localhost" }, /DATABASE_URL/],
  ["a short admin token", { ROSTER_ADMIN_TOKEN: "short" }, /ROSTER_ADMIN_TOKEN: must be at least 32 characters/],
  ["an unknown log level", { LOG_LEVEL: "loud" }, /LOG_LEVEL/],
  ["an access-token lifetime over an hour", { ACCESS_TOKEN_TTL_SECONDS: "7200" }, /ACCESS_TOKEN_TTL_SECONDS/],
];

for (const [what, env, message] of bad) {
  test(`rejects ${what} with a message naming the variable`, () => {
    assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && message.test(e.message));
  });
}

test("lists every bad variable at once", () => {
  assert.throws(() => loadConfig({ PORT: "x", LOG_LEVEL: "y" }), (e: Error) => /PORT/.test(e.message) && /LOG_LEVEL/.test(e.message));
});

test("the server exits at once with a readable message on bad configuration", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/server.ts"], {
    env: { PATH: process.env.PATH, PORT: "not-a-port", DATABASE_URL: "also bad" },
    encoding: "utf8",
    timeout: 20_000,
  });
  assert.equal(r.status, 78, r.stderr);
  assert.match(r.stderr, /Invalid configuration/);
  assert.match(r.stderr, /PORT/);
  assert.match(r.stderr, /DATABASE_URL/);
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, "no stack trace for a configuration error");
});
