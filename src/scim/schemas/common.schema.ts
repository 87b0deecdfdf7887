// RFC 7643 §3.1: attributes every resource has.
import { attr, type AttributeDef } from "./attributes.ts";

export const commonAttributes: AttributeDef[] = [
  attr("id", "string", "A unique identifier for a SCIM resource as defined by the service provider.", {
    caseExact: true,
    mutability: "readOnly",
    returned: "always",
    uniqueness: "server",
  }),
  attr("externalId", "string", "An identifier for the resource as defined by the provisioning client. Unique per tenant when present.", {
    caseExact: true,
  }),
  attr("meta", "complex", "Resource metadata.", {
    mutability: "readOnly",
    subAttributes: [
      attr("resourceType", "string", "The name of the resource type of the resource.", { caseExact: true, mutability: "readOnly" }),
      attr("created", "dateTime", "The DateTime that the resource was added to the service provider.", { mutability: "readOnly" }),
      attr("lastModified", "dateTime", "The most recent DateTime that the details of this resource were updated.", { mutability: "readOnly" }),
      attr("location", "reference", "The URI of the resource being returned.", { caseExact: true, mutability: "readOnly" }),
      attr("version", "string", "The version of the resource being returned (its ETag).", { caseExact: true, mutability: "readOnly" }),
    ],
  }),
];
