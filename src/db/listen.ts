// A PostgreSQL LISTEN connection that reconnects by itself. Used where one process must hear
// what another committed: the outbox relay, and SCIM token revocations reaching every web
// process's token cache.
import pg from "pg";
import type { Logger } from "../lib/logger.ts";

export interface Listener {
  stop(): Promise<void>;
}

export function listen(opts: {
  databaseUrl: string;
  channel: string;
  logger: Logger;
  onNotification: (payload: string | undefined) => void;
  /** Called after every (re)connection: anything sent while not listening was missed. */
  onListening?: () => void;
  retryMs?: number;
}): Listener {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const retryMs = opts.retryMs ?? 1000;

  const reconnectLater = () => {
    if (stopped) return;
    retry = setTimeout(() => void connect(), retryMs);
    retry.unref();
  };

  async function connect() {
    if (stopped) return;
    const c = new pg.Client({ connectionString: opts.databaseUrl });
    c.on("notification", (n) => opts.onNotification(n.payload));
    c.on("error", (err) => {
      opts.logger.warn({ err: err.message, channel: opts.channel }, "LISTEN connection lost; reconnecting");
      if (client === c) client = undefined;
      c.end().catch(() => {});
      reconnectLater();
    });
    try {
      await c.connect();
      // The channel is a fixed identifier of ours, never input.
      await c.query(`LISTEN ${opts.channel}`);
      if (stopped) return void (await c.end().catch(() => {}));
      client = c;
      opts.onListening?.();
    } catch (err) {
      c.end().catch(() => {});
      opts.logger.warn({ err: (err as Error).message, channel: opts.channel }, "could not LISTEN; retrying");
      reconnectLater();
    }
  }

  void connect();
  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => {});
      client = undefined;
    },
  };
}
