// RFC 7643 §2.2/§7 attribute characteristics, as data. The same definitions drive /Schemas,
// the filter compiler, the PATCH engine, projection and validation, so what Roster
// advertises is what it does.

export type AttributeType = "string" | "boolean" | "decimal" | "integer" | "dateTime" | "reference" | "complex" | "binary";
export type Mutability = "readOnly" | "readWrite" | "immutable" | "writeOnly";
export type Returned = "always" | "never" | "default" | "request";
export type Uniqueness = "none" | "server" | "global";

export interface AttributeDef {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDef[];
}

type Options = Partial<Omit<AttributeDef, "name" | "type" | "description">>;

export function attr(name: string, type: AttributeType, description: string, options: Options = {}): AttributeDef {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: "readWrite",
    returned: "default",
    uniqueness: "none",
    ...options,
  };
}

/** RFC 7643 §2.4: the sub-attributes every multi-valued attribute may have. */
export function multiValued(
  name: string,
  description: string,
  valueType: AttributeType,
  options: { types?: string[]; valueOptions?: Options; extra?: AttributeDef[]; mutability?: Mutability; returned?: Returned } = {},
): AttributeDef {
  const sub: AttributeDef[] = [
    attr("value", valueType, `The ${name} value.`, options.valueOptions),
    attr("display", "string", "A human-readable name, primarily used for display purposes.", { mutability: options.mutability === "readOnly" ? "readOnly" : "readWrite" }),
    attr("type", "string", `A label indicating the ${name} value's function.`, options.types ? { canonicalValues: options.types } : {}),
    attr("primary", "boolean", "Whether this is the primary value; at most one value may be primary."),
    ...(options.extra ?? []),
  ];
  return attr(name, "complex", description, {
    multiValued: true,
    subAttributes: sub,
    mutability: options.mutability ?? "readWrite",
    returned: options.returned ?? "default",
  });
}

/** Finds a (sub-)attribute by name, case-insensitively (RFC 7644 §3.10). */
export function findAttribute(attrs: readonly AttributeDef[], name: string): AttributeDef | undefined {
  const lower = name.toLowerCase();
  return attrs.find((a) => a.name.toLowerCase() === lower);
}
