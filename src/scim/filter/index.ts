// The SCIM filter compiler: RFC 7644 §3.4.2.2 filters and §3.4.2.3 sortBy → PostgreSQL.
//
// Semantics (decisions the RFC leaves open):
// - Attribute names, operators and `and`/`or`/`not`/`true`/`false`/`null` are case-insensitive.
// - Strings compare per caseExact: citext columns (User.userName, Group.displayName) use plain
//   `=`/ILIKE; other caseExact=false text uses lower() on both sides; caseExact=true is exact.
//   members.value / groups.value are ids and compare exactly (like `id`).
// - Values are typed: a string attribute takes a string, a boolean one true/false (`"true"` is
//   rejected), a dateTime one an xsd:dateTime string (no zone → UTC). gt/ge/lt/le and co/sw/ew on
//   booleans, co/sw/ew on dateTimes → invalidFilter.
// - `ne` on a missing single-valued attribute is true (IS DISTINCT FROM), and `not (…)` of a
//   condition on a missing attribute is true (two-valued logic via IS NOT TRUE).
// - Multi-valued attributes are existential (RFC 7644 §3.4.2.2 "any of the values"): with no
//   values, every comparison — `ne` too — is false. `emails co "x"` means emails.value.
// - `x eq null` ≡ `not (x pr)`, `x ne null` ≡ `x pr` (RFC 7643 §2.5: null = unassigned); other
//   operators with null → invalidFilter.
// - meta.version compares with the served ETag `W/"<version>"`; meta.resourceType is a constant;
//   meta.location, members.$ref and groups.$ref are computed URLs and cannot be filtered.
// - password (returned: never) cannot be filtered. Extension attributes need their URN prefix.
// - sortBy: unknown/complex/password/GroupMember-derived attributes → 400 invalidValue; multi-valued
//   attributes sort by their primary (else first) value.
export { compileFilter, compileSortKey } from "./compile.ts";
export { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, parseFilter, type FilterNode } from "./parser.ts";
