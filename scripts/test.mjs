#!/usr/bin/env node
// Runs every *.test.ts under test/ and src/ with node's test runner (Node 20's --test does
// not expand globs itself). Extra arguments narrow the set: `npm test -- scim filter`.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    if (d.name === "node_modules" || d.name === "generated" || d.name === "bench") return [];
    const path = join(dir, d.name);
    return d.isDirectory() ? find(path) : d.name.endsWith(".test.ts") ? [path] : [];
  });
}

const filters = process.argv.slice(2);
const files = ["test", "src", "workers", "conformance"]
  .flatMap((dir) => { try { return find(dir); } catch { return []; } })
  .filter((f) => filters.every((word) => f.includes(word)))
  .sort();
if (!files.length) {
  console.error(`no test files match ${filters.join(" ")}`);
  process.exit(1);
}
// Files run in parallel child processes; each has its own database, so they do not collide.
const concurrency = process.env.TEST_CONCURRENCY ?? "2";
const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", "--test-timeout=120000", `--test-concurrency=${concurrency}`, ...files], { stdio: "inherit" });
process.exit(r.status ?? 1);
