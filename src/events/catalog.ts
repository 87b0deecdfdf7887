// The event catalog: every event type Roster writes to the outbox / change feed. Events carry
// ids and changed attribute names, never attribute values or secrets.
export const EVENT_TYPES = [
  "user.created",
  "user.updated",
  "user.deactivated",
  "user.reactivated",
  "user.deleted",
  "group.created",
  "group.updated",
  "group.deleted",
  "group.members_changed",
  "user.roles_changed",
  "session.refresh_token_reused",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export type ResourceType = "User" | "Group" | "Session";

export interface EventData {
  /** group.members_changed: the users added and removed. */
  added?: string[];
  removed?: string[];
  /** group.members_changed: every member was removed (replace or remove without a filter). */
  removedAll?: boolean;
  [key: string]: unknown;
}
