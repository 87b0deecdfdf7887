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
  "role_mapping.created",
  "role_mapping.deleted",
  "session.refresh_token_reused",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export const RESOURCE_TYPES = ["User", "Group", "Session", "RoleMapping"] as const;

export type ResourceType = (typeof RESOURCE_TYPES)[number];

export interface EventData {
  /** group.members_changed: the users added and removed. */
  added?: string[];
  removed?: string[];
  /** group.members_changed: every member was removed (replace or remove without a filter). */
  removedAll?: boolean;
  /**
   * role_mapping.created / role_mapping.deleted: the mapping's role and group key (ids, and the
   * displayName a mapping may use for a group not pushed yet), so the roles job can find the
   * affected users after the mapping row is gone.
   */
  roleId?: string;
  groupId?: string | null;
  groupDisplayName?: string | null;
  /** user.roles_changed: what caused the recompute (an event, or a direct admin change). */
  cause?: { eventId?: string; type: string; resourceId?: string };
  [key: string]: unknown;
}
