// RFC 7644 §4 discovery: /ServiceProviderConfig, /ResourceTypes, /Schemas. Built from the
// same definitions and limits the server enforces, so it advertises exactly what it does.
import { Hono } from "hono";
import { AppError, notFound } from "../../errors.ts";
import type { AppEnv } from "../../http/types.ts";
import { scimJson } from "../media.ts";
import { listResponse } from "../messages.ts";
import { resourceTypes, schemas, type SchemaDef } from "../schemas/index.ts";

export interface DiscoveryOptions {
  baseUrl: string;
  maxPageSize: number;
  defaultPageSize: number;
  maxBulkOperations: number;
  maxPayloadBytes: number;
}

const SPC_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";

export function serviceProviderConfig(o: DiscoveryOptions) {
  return {
    schemas: [SPC_SCHEMA],
    documentationUri: "https://github.com/roster-dev/roster#scim-features",
    patch: { supported: true },
    bulk: { supported: true, maxOperations: o.maxBulkOperations, maxPayloadSize: o.maxPayloadBytes },
    filter: { supported: true, maxResults: o.maxPageSize },
    changePassword: { supported: true },
    sort: { supported: true },
    etag: { supported: true },
    // RFC 9865 §4: both pagination methods; index stays the default for Okta and Entra.
    pagination: {
      cursor: true,
      index: true,
      defaultPaginationMethod: "index",
      defaultPageSize: o.defaultPageSize,
      maxPageSize: o.maxPageSize,
    },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "OAuth Bearer Token",
        description: "A tenant SCIM token (rst_…) issued through Roster's admin API, sent as Authorization: Bearer.",
        specUri: "https://www.rfc-editor.org/info/rfc6750",
        primary: true,
      },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${o.baseUrl}/ServiceProviderConfig` },
  };
}

function resourceTypeDoc(name: keyof typeof resourceTypes, baseUrl: string) {
  const rt = resourceTypes[name];
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: rt.name,
    name: rt.name,
    endpoint: rt.endpoint,
    description: rt.description,
    schema: rt.schema.id,
    schemaExtensions: rt.extensions.map((e) => ({ schema: e.schema.id, required: e.required })),
    meta: { resourceType: "ResourceType", location: `${baseUrl}/ResourceTypes/${rt.name}` },
  };
}

function schemaDoc(s: SchemaDef, baseUrl: string) {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: s.id,
    name: s.name,
    description: s.description,
    attributes: s.attributes,
    meta: { resourceType: "Schema", location: `${baseUrl}/Schemas/${s.id}` },
  };
}

export function discoveryRoutes(o: DiscoveryOptions) {
  const app = new Hono<AppEnv>();
  const all = { resourceTypes: Object.keys(resourceTypes) as (keyof typeof resourceTypes)[], schemas: Object.values(schemas) };

  app.get("/ServiceProviderConfig", (c) => scimJson(c, serviceProviderConfig(o)));
  app.get("/ResourceTypes", (c) => {
    const docs = all.resourceTypes.map((n) => resourceTypeDoc(n, o.baseUrl));
    return scimJson(c, listResponse(docs, docs.length, { startIndex: 1 }));
  });
  app.get("/ResourceTypes/:name", (c) => {
    const name = all.resourceTypes.find((n) => n === c.req.param("name"));
    if (!name) throw notFound(`No resource type ${c.req.param("name")}`);
    return scimJson(c, resourceTypeDoc(name, o.baseUrl));
  });
  app.get("/Schemas", (c) => {
    const docs = all.schemas.map((s) => schemaDoc(s, o.baseUrl));
    return scimJson(c, listResponse(docs, docs.length, { startIndex: 1 }));
  });
  app.get("/Schemas/:urn", (c) => {
    const urn = c.req.param("urn");
    const s = all.schemas.find((x) => x.id.toLowerCase() === urn.toLowerCase());
    if (!s) throw notFound(`No schema ${urn}`);
    return scimJson(c, schemaDoc(s, o.baseUrl));
  });
  // RFC 7644 §3.11: /Me is optional; Roster's SCIM clients are IdPs, not end users.
  app.all("/Me", () => {
    throw new AppError("not_implemented", "/Me is not supported: SCIM clients of Roster are identity providers, not end users");
  });
  return app;
}
