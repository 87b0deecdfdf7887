// RFC 7644 message schemas and the ListResponse shape.
export const LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
export const BULK_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

export function listResponse(resources: unknown[], total: number, page: { startIndex?: number; nextCursor?: string }) {
  const body: Record<string, unknown> = { schemas: [LIST_RESPONSE], totalResults: total, itemsPerPage: resources.length };
  if (page.startIndex !== undefined) body.startIndex = page.startIndex;
  if (page.nextCursor !== undefined) body.nextCursor = page.nextCursor;
  body.Resources = resources;
  return body;
}
