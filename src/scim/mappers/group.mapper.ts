// "Group" row ⇄ SCIM Group document. Members live in "GroupMember" and are loaded only
// when the response includes them (Entra reads groups with excludedAttributes=members).
import { GROUP_SCHEMA } from "../schemas/index.ts";
import { metaOf } from "./meta.ts";

export interface GroupRow {
  id: string;
  displayName: string;
  externalId: string | null;
  data: unknown;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface MemberRef {
  id: string;
  display: string;
}

export interface GroupColumns {
  displayName: string;
  externalId: string | null;
  data: Record<string, unknown>;
}

const COLUMN_ATTRIBUTES = new Set(["displayName", "externalId", "schemas", "id", "meta", "members"]);

export function groupDocument(row: GroupRow): Record<string, unknown> {
  const doc: Record<string, unknown> = { schemas: [GROUP_SCHEMA], displayName: row.displayName };
  if (row.externalId !== null) doc.externalId = row.externalId;
  return { ...doc, ...((row.data ?? {}) as Record<string, unknown>) };
}

export function groupToScim(row: GroupRow, baseUrl: string, members?: MemberRef[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...groupDocument(row), id: row.id };
  if (members) out.members = members.map((m) => ({ value: m.id, display: m.display, $ref: `${baseUrl}/Users/${m.id}`, type: "User" }));
  out.meta = metaOf("Group", `${baseUrl}/Groups/${row.id}`, row);
  return out;
}

export function groupColumns(doc: Record<string, unknown>): GroupColumns {
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!COLUMN_ATTRIBUTES.has(k) && v !== undefined && v !== null) data[k] = v;
  return { displayName: doc.displayName as string, externalId: (doc.externalId as string | undefined) ?? null, data };
}
