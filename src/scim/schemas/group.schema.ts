// RFC 7643 §4.2 (Group). Roster's members are users only: nesting is not supported and
// /Schemas says so (referenceTypes: ["User"]).
import { attr, type AttributeDef } from "./attributes.ts";

export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";

export const groupAttributes: AttributeDef[] = [
  attr("displayName", "string", "A human-readable name for the Group. Unique per tenant, case-insensitively.", {
    required: true,
    uniqueness: "server",
  }),
  attr("members", "complex", "A list of members of the Group. Members are Users; nested groups are not supported.", {
    multiValued: true,
    subAttributes: [
      attr("value", "string", "Identifier of the member of this Group.", { mutability: "immutable", caseExact: true }),
      attr("$ref", "reference", "The URI of the member resource.", { mutability: "immutable", referenceTypes: ["User"] }),
      attr("display", "string", "The member's displayName (or userName when it has none).", { mutability: "readOnly" }),
      attr("type", "string", "The type of member.", { mutability: "immutable", canonicalValues: ["User"] }),
    ],
  }),
];
