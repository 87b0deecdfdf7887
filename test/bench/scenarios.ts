// The benchmark scenarios: one request generator per scenario that drives Roster and the
// baseline alike (they share URLs). Writes walk through disjoint slices of users so every
// request is a real change on both targets.
import type { Request } from "autocannon";
import { encodeCursor } from "../../src/scim/cursor.ts";

export interface BenchData {
  userIds: string[];
  users: number;
  bigGroupId: string;
  /** Members of the big group are users 1..bigGroupMembers by userName number. */
  bigGroupMembers: number;
  memberIds: string[];
  nonMemberIds: string[];
}

export interface Scenario {
  name: string;
  description: string;
  /** Connections for this scenario when not the run's default (latency targets are per request). */
  connections?: number;
  /** Builds the autocannon request list for one round; `round` separates write slices. */
  requests(data: BenchData, round: number, target: string): Request[];
}

const SCIM_JSON = { "content-type": "application/scim+json" };
const rand = (n: number) => Math.floor(Math.random() * n);
let createCounter = 0;
let deactivateRounds = 0;

// Read scenarios run first, on the settled directory; the write rounds follow (their updates
// clear PostgreSQL's visibility map until autovacuum runs, which slows index-only page walks).
export const scenarios: Scenario[] = [
  {
    name: "lookup",
    description: "GET /Users?filter=userName eq … (random user, the IdP's pre-create lookup)",
    requests: (d) => [
      {
        method: "GET",
        setupRequest: (req) => ({
          ...req,
          path: `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "user${1 + rand(d.users)}@bench.example"`)}&startIndex=1&count=100`,
        }),
      },
    ],
  },
  {
    name: "get",
    description: "GET /Users/{id} (random user)",
    requests: (d) => [{ method: "GET", setupRequest: (req) => ({ ...req, path: `/scim/v2/Users/${d.userIds[rand(d.userIds.length)]}` }) }],
  },
  {
    name: "list-deep-index",
    description: "GET /Users?startIndex=<90% deep>&count=100 (1 connection: the target is per-request latency)",
    connections: 1,
    requests: (d) => [{ method: "GET", path: `/scim/v2/Users?startIndex=${Math.floor(d.users * 0.9)}&count=100` }],
  },
  {
    name: "list-deep-cursor",
    description: "GET /Users?cursor=<90% deep>&count=100 (RFC 9865; 1 connection)",
    connections: 1,
    requests: (d) => {
      const sorted = [...d.userIds].sort();
      // As a client walking the directory holds it: a nextCursor carrying the walk's total.
      const cursor = encodeCursor(sorted[Math.floor(sorted.length * 0.9)]!, undefined, d.userIds.length);
      return [{ method: "GET", path: `/scim/v2/Users?cursor=${cursor}&count=100` }];
    },
  },
  {
    name: "filter-sw-co",
    connections: 4,
    description: 'GET /Users?filter=name.givenName sw "…" and userName co "…"',
    requests: () => [
      {
        method: "GET",
        setupRequest: (req) => ({
          ...req,
          path: `/scim/v2/Users?filter=${encodeURIComponent(`name.givenName sw "${["Al", "Bo", "Ca", "Gr", "Tr"][rand(5)]}" and userName co "er${rand(100)}"`)}&count=100`,
        }),
      },
    ],
  },
  {
    name: "create",
    description: "POST /Users (new userName each request)",
    requests: (_d, round, target) => [
      {
        method: "POST",
        path: "/scim/v2/Users",
        headers: SCIM_JSON,
        setupRequest: (req) => {
          const n = ++createCounter;
          return {
            ...req,
            body: JSON.stringify({
              schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
              userName: `new-${target}-${round}-${n}-${process.pid}@bench.example`,
              name: { givenName: "New", familyName: `Hire${n}` },
              emails: [{ value: `new-${target}-${round}-${n}@bench.example`, type: "work", primary: true }],
            }),
          };
        },
      },
    ],
  },
  {
    name: "deactivate",
    description: "PATCH /Users/{id} {replace active false} (each request a real change of another user)",
    requests: (d) => {
      // Each round takes the next fifth of the directory; a fifth's first visit deactivates
      // it, the next reactivates it, so no request is a no-op on either target.
      const visit = deactivateRounds++;
      const size = Math.floor(d.userIds.length / 5);
      const slice = d.userIds.slice((visit % 5) * size, (visit % 5) * size + size);
      const active = Math.floor(visit / 5) % 2 === 1;
      let i = 0;
      return [
        {
          method: "PATCH",
          headers: SCIM_JSON,
          setupRequest: (req) => ({
            ...req,
            path: `/scim/v2/Users/${slice[i++ % slice.length]}`,
            body: JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", value: { active } }] }),
          }),
        },
      ];
    },
  },
  {
    name: "group-member-change",
    description: "PATCH /Groups/{50k group}: add one member and remove another",
    requests: (d, round) => {
      let i = round * 5_000;
      return [
        {
          method: "PATCH",
          path: `/scim/v2/Groups/${d.bigGroupId}`,
          headers: SCIM_JSON,
          setupRequest: (req) => {
            const k = i++;
            // Add a non-member, remove a member: membership size stays constant across rounds.
            const add = d.nonMemberIds[k % d.nonMemberIds.length];
            const remove = d.memberIds[k % d.memberIds.length];
            return {
              ...req,
              body: JSON.stringify({
                schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                Operations: [
                  { op: "add", path: "members", value: [{ value: add }] },
                  { op: "remove", path: `members[value eq "${remove}"]` },
                ],
              }),
            };
          },
        },
      ];
    },
  },
];
