import assert from "node:assert/strict";
import { test } from "node:test";
import { show, useHarness } from "../helpers/harness.ts";

const h = await useHarness();
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });
const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? String(x) : x));

async function eventsOf(tenantId: string) {
  return h.container.db.event.findMany({ where: { tenantId }, orderBy: { id: "asc" } });
}

test("each user write emits one event with type, resource, changed names and the token as actor", async () => {
  const { token, tenantId, tokenId } = await h.createTenant();
  const actor = { type: "scim_token", id: tokenId };
  const c = await h.scim(token, "POST", "/Users", { userName: "ev@acme.com", emails: [{ value: "ev@acme.com", type: "work" }], password: "Pa55word-secret" });
  const id = c.body.id;
  await h.scim(token, "PATCH", `/Users/${id}`, patch({ op: "replace", path: "title", value: "Boss" }, { op: "add", path: `${ENT}:department`, value: "Ops" }));
  await h.scim(token, "PATCH", `/Users/${id}`, patch({ op: "replace", value: { active: false } }));
  await h.scim(token, "PATCH", `/Users/${id}`, patch({ op: "replace", path: "active", value: true }));
  await h.scim(token, "PUT", `/Users/${id}`, { userName: "ev@acme.com", password: "An0ther-secret" });
  const g = await h.scim(token, "POST", "/Groups", { displayName: "EvGroup", members: [{ value: id }] });
  await h.scim(token, "DELETE", `/Users/${id}`);

  const events = await eventsOf(tenantId);
  const summary = events.map((e) => [e.type, e.resourceType, e.resourceId, e.attributes]);
  assert.deepEqual(summary, [
    ["user.created", "User", id, ["emails", "userName"]],
    ["user.updated", "User", id, ["title", `${ENT}:department`]],
    ["user.deactivated", "User", id, ["active"]],
    ["user.reactivated", "User", id, ["active"]],
    ["user.updated", "User", id, ["emails", "title", `${ENT}:department`, "password"]],
    ["group.created", "Group", g.body.id, ["displayName"]],
    ["group.members_changed", "Group", g.body.id, ["members"]],
    ["user.deleted", "User", id, []],
  ], json(summary));
  for (const e of events) assert.deepEqual(e.actor, actor, json(e));
  assert.deepEqual((events[6]!.data as any).added, [id]);
  assert.deepEqual((events[7]!.data as any).groups, [g.body.id]);
  const text = json(events);
  for (const secret of ["ev@acme.com", "Pa55word", "An0ther", "Boss", "Ops", "EvGroup"]) assert.ok(!text.includes(secret), `events contain "${secret}": ${text}`);
});

test("group changes emit events: rename, member add/remove, delete", async () => {
  const { token, tenantId } = await h.createTenant();
  const u = await h.scim(token, "POST", "/Users", { userName: "gm" });
  const g = await h.scim(token, "POST", "/Groups", { displayName: "G" });
  const since = (await eventsOf(tenantId)).length;
  await h.scim(token, "PATCH", `/Groups/${g.body.id}`, patch({ op: "replace", path: "displayName", value: "G2" }));
  await h.scim(token, "PATCH", `/Groups/${g.body.id}`, patch({ op: "add", path: "members", value: [{ value: u.body.id }] }));
  await h.scim(token, "PATCH", `/Groups/${g.body.id}`, patch({ op: "add", path: "members", value: [{ value: u.body.id }] })); // no change
  await h.scim(token, "PATCH", `/Groups/${g.body.id}`, patch({ op: "remove", path: `members[value eq "${u.body.id}"]` }));
  await h.scim(token, "DELETE", `/Groups/${g.body.id}`);
  const events = (await eventsOf(tenantId)).slice(since);
  assert.deepEqual(events.map((e) => [e.type, e.attributes]), [
    ["group.updated", ["displayName"]],
    ["group.members_changed", ["members"]],
    ["group.members_changed", ["members"]],
    ["group.deleted", []],
  ], json(events));
  assert.deepEqual((events[1]!.data as any).added, [u.body.id]);
  assert.deepEqual((events[2]!.data as any).removed, [u.body.id]);
});

test("failed requests write no event", async () => {
  const { token, tenantId } = await h.createTenant();
  const u = await h.scim(token, "POST", "/Users", { userName: "f" });
  await h.scim(token, "POST", "/Users", { userName: "other" });
  const g = await h.scim(token, "POST", "/Groups", { displayName: "F" });
  const before = (await eventsOf(tenantId)).length;
  const failures = [
    await h.scim(token, "POST", "/Users", { userName: "F" }),
    await h.scim(token, "POST", "/Users", { userName: "" }),
    await h.scim(token, "PUT", `/Users/${u.body.id}`, { userName: "OTHER" }),
    await h.scim(token, "PATCH", `/Users/${u.body.id}`, patch({ op: "replace", path: "title", value: "x" }, { op: "remove" })),
    await h.scim(token, "PATCH", `/Users/${u.body.id}`, patch({ op: "replace", path: "title", value: "x" }), { "if-match": 'W/"99"' }),
    await h.scim(token, "DELETE", `/Users/${u.body.id}`, undefined, { "if-match": 'W/"99"' }),
    await h.scim(token, "PATCH", `/Groups/${g.body.id}`, patch({ op: "add", path: "members", value: [{ value: "0195f0f0-0000-7000-8000-000000000000" }] })),
    await h.scim(token, "POST", "/Groups", { displayName: "f" }),
  ];
  for (const r of failures) assert.ok(r.status >= 400 && r.status < 500, show(r));
  assert.equal((await eventsOf(tenantId)).length, before);
});
