// /healthz: the process is alive. /readyz: the database answers and has every migration this
// build expects, and the queue backend answers when one is configured.
import { Hono } from "hono";
import type { Container } from "../container.ts";
import type { AppEnv } from "./types.ts";

const TIMEOUT_MS = 2000;

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error("timed out")), ms).unref())]);
}

export function healthRoutes(container: Container) {
  const app = new Hono<AppEnv>();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    const checks: Record<string, string> = {};
    try {
      const missing = await within(container.health.pendingMigrations(), TIMEOUT_MS);
      checks.database = missing.length ? `missing migrations: ${missing.join(", ")}` : "ok";
    } catch (e) {
      checks.database = `unreachable: ${(e as Error).message}`;
    }
    if (container.redis) {
      try {
        await within(container.redis.ping(), TIMEOUT_MS);
        checks.redis = "ok";
      } catch (e) {
        checks.redis = `unreachable: ${(e as Error).message}`;
      }
    }
    const ok = Object.values(checks).every((v) => v === "ok");
    return c.json({ status: ok ? "ok" : "unavailable", checks }, ok ? 200 : 503);
  });
  return app;
}
