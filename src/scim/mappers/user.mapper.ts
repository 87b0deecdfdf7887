// "User" row ⇄ SCIM User document. Columns hold userName, externalId, displayName and
// active; `data` holds every other attribute under its canonical name, the enterprise
// extension under its URN. `groups` is derived from memberships; `password` never leaves.
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from "../schemas/index.ts";
import { metaOf } from "./meta.ts";

export interface UserRow {
  id: string;
  userName: string;
  externalId: string | null;
  displayName: string | null;
  active: boolean;
  data: unknown;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface UserColumns {
  userName: string;
  externalId: string | null;
  displayName: string | null;
  active: boolean;
  data: Record<string, unknown>;
}

export interface GroupRef {
  id: string;
  displayName: string;
}

const COLUMN_ATTRIBUTES = new Set(["userName", "externalId", "displayName", "active", "schemas", "id", "meta", "groups", "password"]);

/** The editable document (no id/meta/groups), as the PATCH engine and PUT comparison see it. */
export function userDocument(row: UserRow): Record<string, unknown> {
  const data = (row.data ?? {}) as Record<string, unknown>;
  const doc: Record<string, unknown> = {
    schemas: data[ENTERPRISE_USER_SCHEMA] ? [USER_SCHEMA, ENTERPRISE_USER_SCHEMA] : [USER_SCHEMA],
    userName: row.userName,
    active: row.active,
  };
  if (row.externalId !== null) doc.externalId = row.externalId;
  if (row.displayName !== null) doc.displayName = row.displayName;
  return { ...doc, ...data };
}

export function userToScim(row: UserRow, baseUrl: string, groups?: GroupRef[]): Record<string, unknown> {
  const location = `${baseUrl}/Users/${row.id}`;
  const out: Record<string, unknown> = { ...userDocument(row), id: row.id };
  if (groups) {
    out.groups = groups.map((g) => ({ value: g.id, display: g.displayName, $ref: `${baseUrl}/Groups/${g.id}`, type: "direct" }));
  }
  out.meta = metaOf("User", location, row);
  return out;
}

/** Splits a normalized SCIM User document into columns and the JSON remainder. */
export function userColumns(doc: Record<string, unknown>): UserColumns {
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!COLUMN_ATTRIBUTES.has(k) && v !== undefined && v !== null) data[k] = v;
  return {
    userName: doc.userName as string,
    externalId: (doc.externalId as string | undefined) ?? null,
    displayName: (doc.displayName as string | undefined) ?? null,
    active: doc.active === undefined ? true : Boolean(doc.active),
    data,
  };
}
