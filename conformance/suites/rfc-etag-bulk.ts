// RFC 7644 §3.14 versioning (ETag, If-Match, If-None-Match) and §3.7 bulk operations.
import { SkipCase, URN, check, equal, isObject, scimError, status } from "../assert.ts";
import { patchOp } from "../fixtures.ts";
import type { CaseDef } from "../runner.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any;
const E = "RFC 7644 §3.14";
const B = "RFC 7644 §3.7";

export const rfcEtagBulkCases: CaseDef[] = [
  {
    id: "rfc-etag-header", title: "GET returns an ETag equal to meta.version", source: `${E}, RFC 7643 §3.1`, requires: ["etag"],
    async run(ctx) {
      const u = await ctx.createUser();
      const res = await ctx.a.get(`/Users/${u.id}`);
      status(res, 200);
      const etag = res.headers.get("etag");
      check(etag, "no ETag header", res);
      equal(res.body?.meta?.version, etag, "meta.version vs ETag", res);
    },
  },
  {
    id: "rfc-etag-create", title: "201 on create carries an ETag", source: E, requires: ["etag"],
    async run(ctx) {
      const res = await ctx.a.post("/Users", ctx.fx.user());
      if (isObject(res.body) && res.body.id) ctx.track(ctx.a, `/Users/${res.body.id}`);
      status(res, 201);
      check(res.headers.get("etag"), "no ETag header on create", res);
    },
  },
  {
    id: "rfc-etag-changes", title: "meta.version changes on every write", source: E, requires: ["etag", "patch"],
    async run(ctx) {
      const u = await ctx.createUser();
      const r = await ctx.patch(`/Users/${u.id}`, [{ op: "replace", path: "displayName", value: "v2" }]);
      check(r.meta?.version && r.meta.version !== u.meta?.version, `version did not change (${u.meta?.version} → ${r.meta?.version})`);
    },
  },
  {
    id: "rfc-etag-if-none-match", title: "If-None-Match with the current version → 304", source: E, requires: ["etag"],
    async run(ctx) {
      const u = await ctx.createUser();
      const etag = (await ctx.a.get(`/Users/${u.id}`)).headers.get("etag") ?? "";
      status(await ctx.a.get(`/Users/${u.id}`, { headers: { "If-None-Match": etag } }), 304);
    },
  },
  {
    id: "rfc-etag-if-none-match-stale", title: "If-None-Match with an old version → 200", source: E, requires: ["etag"],
    async run(ctx) {
      const u = await ctx.createUser();
      status(await ctx.a.get(`/Users/${u.id}`, { headers: { "If-None-Match": 'W/"conformance-stale"' } }), 200);
    },
  },
  {
    id: "rfc-etag-if-match-put", title: "PUT with a stale If-Match → 412", source: E, requires: ["etag"],
    async run(ctx) {
      const u = await ctx.createUser();
      const res = await ctx.a.put(`/Users/${u.id}`, ctx.fx.user({ userName: u.userName }), { headers: { "If-Match": 'W/"conformance-stale"' } });
      scimError(res, 412);
      equal((await ctx.read(`/Users/${u.id}`)).displayName, u.displayName, "displayName after the refused PUT");
    },
  },
  {
    id: "rfc-etag-if-match-patch", title: "PATCH with a stale If-Match → 412", source: E, requires: ["etag", "patch"],
    async run(ctx) {
      const u = await ctx.createUser();
      scimError(await ctx.a.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "title", value: "x" }), { headers: { "If-Match": 'W/"conformance-stale"' } }), 412);
    },
  },
  {
    id: "rfc-etag-if-match-current", title: "PATCH with the current If-Match succeeds", source: E, requires: ["etag", "patch"],
    async run(ctx) {
      const u = await ctx.createUser();
      const etag = (await ctx.a.get(`/Users/${u.id}`)).headers.get("etag") ?? "";
      status(await ctx.a.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "title", value: "x" }), { headers: { "If-Match": etag } }), 200, 204);
    },
  },
  {
    id: "rfc-etag-if-match-delete", title: "DELETE with a stale If-Match → 412 and the user survives", source: E, requires: ["etag"],
    async run(ctx) {
      const u = await ctx.createUser();
      scimError(await ctx.a.delete(`/Users/${u.id}`, { headers: { "If-Match": 'W/"conformance-stale"' } }), 412);
      await ctx.read(`/Users/${u.id}`);
    },
  },
  {
    id: "rfc-bulk-bulkid", title: "bulk create of a user and a group that references it by bulkId", source: B, requires: ["bulk"],
    async run(ctx) {
      const user = ctx.fx.user();
      const res = await ctx.a.post("/Bulk", {
        schemas: [URN.bulkRequest],
        Operations: [
          { method: "POST", path: "/Users", bulkId: "u1", data: user },
          { method: "POST", path: "/Groups", bulkId: "g1", data: ctx.fx.group({ members: [{ type: "User", value: "bulkId:u1" }] }) },
        ],
      });
      const ops: J[] = Array.isArray(res.body?.Operations) ? res.body.Operations : [];
      for (const op of ops) {
        const loc = String(op?.location ?? "");
        const m = loc.match(/\/(Users|Groups)\/([^/]+)$/);
        if (m) ctx.track(ctx.a, `/${m[1]}/${m[2]}`);
      }
      status(res, 200);
      check(res.body?.schemas?.includes(URN.bulkResponse), `schemas must contain ${URN.bulkResponse}`, res);
      equal(ops.map((o) => String(o?.status)), ["201", "201"], "operation statuses", res);
      const userId = String(ops[0].location).split("/").pop();
      const groupId = String(ops[1].location).split("/").pop();
      const g = await ctx.read(`/Groups/${groupId}`);
      equal((g.members ?? []).map((m: J) => m.value), [userId], "group members (bulkId resolved)");
    },
  },
  {
    id: "rfc-bulk-fail-on-errors", title: "failOnErrors=1 stops after the first error", source: B, requires: ["bulk"],
    async run(ctx) {
      const good = ctx.fx.user();
      const res = await ctx.a.post("/Bulk", {
        schemas: [URN.bulkRequest], failOnErrors: 1,
        Operations: [
          { method: "DELETE", path: `/Users/${ctx.fx.missingId()}` },
          { method: "POST", path: "/Users", bulkId: "late", data: good },
        ],
      });
      const ops: J[] = Array.isArray(res.body?.Operations) ? res.body.Operations : [];
      for (const op of ops) { const id = String(op?.location ?? "").match(/\/Users\/([^/]+)$/)?.[1]; if (id) ctx.track(ctx.a, `/Users/${id}`); }
      status(res, 200);
      equal(ops.length, 1, "operations processed", res);
      equal(String(ops[0]?.status), "404", "status of the failed operation", res);
    },
  },
  {
    id: "rfc-bulk-delete", title: "bulk DELETE reports 204", source: B, requires: ["bulk"],
    async run(ctx) {
      const u = await ctx.createUser();
      const res = await ctx.a.post("/Bulk", { schemas: [URN.bulkRequest], Operations: [{ method: "DELETE", path: `/Users/${u.id}` }] });
      status(res, 200);
      equal(String(res.body?.Operations?.[0]?.status), "204", "operation status", res);
      scimError(await ctx.a.get(`/Users/${u.id}`), 404);
    },
  },
  {
    id: "rfc-bulk-max-operations", title: "more than bulk.maxOperations → 413", source: B, requires: ["bulk"],
    async run(ctx) {
      const max = ctx.features.bulkMaxOperations;
      if (!(max > 0 && max <= 1000)) throw new SkipCase(`bulk.maxOperations ${max} too large to exceed cheaply`);
      const Operations = Array.from({ length: max + 1 }, () => ({ method: "DELETE", path: `/Users/${ctx.fx.missingId()}` }));
      scimError(await ctx.a.post("/Bulk", { schemas: [URN.bulkRequest], Operations }), 413);
    },
  },
];
