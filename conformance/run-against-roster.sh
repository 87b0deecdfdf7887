#!/usr/bin/env bash
# Starts Roster on $DATABASE_URL (a free loopback port, a generated admin token), creates two tenants
# and a SCIM token for each through /admin/v1, runs every conformance profile plus the cross-tenant
# checks, stops Roster, and exits with the runner's exit code. Called from .ci/run.
#   DATABASE_URL=postgresql://… bash conformance/run-against-roster.sh [--json report.json]
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?DATABASE_URL must point at a PostgreSQL database Roster may migrate}"
PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
ADMIN_TOKEN=$(node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))')
# Roster refuses to start on a real database without a key-encryption key; a throwaway one will do.
KEY_ENCRYPTION_KEY="${ROSTER_KEY_ENCRYPTION_KEY:-$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64"))')}"
BASE="http://127.0.0.1:${PORT}"
LOG=$(mktemp -t roster-conformance.XXXXXX.log)

# Run the server directly (not through npm) so $PID is the server itself.
ROSTER_ADMIN_TOKEN="$ADMIN_TOKEN" ROSTER_KEY_ENCRYPTION_KEY="$KEY_ENCRYPTION_KEY" PORT="$PORT" HOST=127.0.0.1 LOG_LEVEL="${LOG_LEVEL:-warn}" \
  node --import tsx src/server.ts >"$LOG" 2>&1 &
PID=$!
stop() {
  if kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$PID" 2>/dev/null || true
  fi
  rm -f "$LOG"
}
trap stop EXIT

echo "conformance: starting Roster on ${BASE}" >&2
for i in $(seq 1 120); do
  if ! kill -0 "$PID" 2>/dev/null; then echo "Roster exited before it was ready:" >&2; cat "$LOG" >&2; exit 1; fi
  if curl -fsS "${BASE}/readyz" >/dev/null 2>&1; then break; fi
  if [ "$i" = 120 ]; then echo "Roster not ready after 60 s:" >&2; cat "$LOG" >&2; curl -sS "${BASE}/readyz" >&2 || true; exit 1; fi
  sleep 0.5
done

# Two tenants, one SCIM token each. The tokens go to the runner through the environment, never argv.
TOKENS=$(BASE="$BASE" ADMIN_TOKEN="$ADMIN_TOKEN" node --input-type=module -e '
  const { BASE, ADMIN_TOKEN } = process.env;
  const call = async (path, body) => {
    const res = await fetch(BASE + "/admin/v1" + path, {
      method: "POST", headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) { console.error(`POST /admin/v1${path} → ${res.status} ${JSON.stringify(json)}`); process.exit(1); }
    return json;
  };
  const out = [];
  for (const name of ["conformance-a", "conformance-b"]) {
    const tenant = await call("/tenants", { name: `${name}-${Date.now()}` });
    const token = await call(`/tenants/${tenant.id}/scim-tokens`, { name: "conformance" });
    if (typeof token.token !== "string") { console.error("scim-tokens response has no token"); process.exit(1); }
    out.push(token.token);
  }
  console.log(out.join(" "));
')
read -r TOKEN_A TOKEN_B <<<"$TOKENS"

set +e
SCIM_TOKEN="$TOKEN_A" SCIM_TOKEN2="$TOKEN_B" npm run --silent conformance -- --base "${BASE}/scim/v2" --profile all "$@"
RC=$?
set -e
if [ "$RC" -ne 0 ] && ! kill -0 "$PID" 2>/dev/null; then echo "Roster died during the run:" >&2; cat "$LOG" >&2; fi
exit "$RC"
