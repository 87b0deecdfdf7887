#!/usr/bin/env node
// Writes the difference between prisma/migrations and prisma/schema.prisma as a new
// migration folder, prisma/migrations/<UTC timestamp>_<name>/migration.sql.
// Prints nothing and writes nothing when the two already agree.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]+/gi, "_").toLowerCase();
if (!name) {
  console.error("usage: npm run db:migration -- <name>");
  process.exit(2);
}
const diff = spawnSync("npm", ["run", "--silent", "db:diff"], { encoding: "utf8" });
if (diff.status !== 0) {
  process.stderr.write(diff.stderr);
  process.exit(diff.status ?? 1);
}
const sql = diff.stdout.trim();
if (!sql || sql === "-- This is an empty migration.") {
  console.log("schema and migrations agree; nothing written");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
const dir = `prisma/migrations/${stamp}_${name}`;
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}/migration.sql`, sql + "\n");
console.log(`wrote ${dir}/migration.sql`);
