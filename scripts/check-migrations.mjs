#!/usr/bin/env node
// CI check: the committed migrations produce exactly prisma/schema.prisma.
import { spawnSync } from "node:child_process";

const diff = spawnSync("npm", ["run", "--silent", "db:diff"], { encoding: "utf8" });
if (diff.status !== 0) {
  process.stderr.write(diff.stderr);
  process.exit(diff.status ?? 1);
}
const sql = diff.stdout.trim();
if (sql && sql !== "-- This is an empty migration.") {
  console.error("prisma/schema.prisma and prisma/migrations disagree. Missing migration:\n" + sql);
  console.error("\nRun: npm run db:migration -- <name>");
  process.exit(1);
}
console.log("migrations agree with prisma/schema.prisma");
