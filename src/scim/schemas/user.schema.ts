// RFC 7643 §4.1 (User) and §4.3 (Enterprise User extension).
import { attr, multiValued, type AttributeDef } from "./attributes.ts";

export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const ENTERPRISE_USER_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

const typed = (types: string[]) => ({ types });

export const userAttributes: AttributeDef[] = [
  attr("userName", "string", "Unique identifier for the User, typically used by the user to directly authenticate. Unique per tenant, case-insensitively.", {
    required: true,
    uniqueness: "server",
  }),
  attr("name", "complex", "The components of the user's real name.", {
    subAttributes: [
      attr("formatted", "string", "The full name, including all middle names, titles, and suffixes as appropriate, formatted for display."),
      attr("familyName", "string", "The family name of the User."),
      attr("givenName", "string", "The given name of the User."),
      attr("middleName", "string", "The middle name(s) of the User."),
      attr("honorificPrefix", "string", "The honorific prefix(es) of the User."),
      attr("honorificSuffix", "string", "The honorific suffix(es) of the User."),
    ],
  }),
  attr("displayName", "string", "The name of the User, suitable for display to end-users."),
  attr("nickName", "string", "The casual way to address the user in real life."),
  attr("profileUrl", "reference", "A fully qualified URL pointing to a page representing the User's online profile.", { referenceTypes: ["external"] }),
  attr("title", "string", "The user's title, such as \"Vice President\"."),
  attr("userType", "string", "Used to identify the relationship between the organization and the user."),
  attr("preferredLanguage", "string", "Indicates the User's preferred written or spoken language (RFC 7231 Accept-Language format)."),
  attr("locale", "string", "Used to indicate the User's default location for purposes of localizing items such as currency, date time format, or numerical representations."),
  attr("timezone", "string", "The User's time zone in the 'Olson' time zone database format, e.g., 'America/Los_Angeles'."),
  attr("active", "boolean", "A Boolean value indicating the User's administrative status. false deprovisions the user."),
  attr("password", "string", "The User's cleartext password, write-only; Roster keeps only a scrypt hash.", {
    mutability: "writeOnly",
    returned: "never",
  }),
  multiValued("emails", "Email addresses for the user.", "string", typed(["work", "home", "other"])),
  multiValued("phoneNumbers", "Phone numbers for the User.", "string", typed(["work", "home", "mobile", "fax", "pager", "other"])),
  multiValued("ims", "Instant messaging addresses for the User.", "string", typed(["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"])),
  multiValued("photos", "URLs of photos of the User.", "reference", { types: ["photo", "thumbnail"], valueOptions: { referenceTypes: ["external"] } }),
  attr("addresses", "complex", "A physical mailing address for this User.", {
    multiValued: true,
    subAttributes: [
      attr("formatted", "string", "The full mailing address, formatted for display or use with a mailing label."),
      attr("streetAddress", "string", "The full street address component."),
      attr("locality", "string", "The city or locality component."),
      attr("region", "string", "The state or region component."),
      attr("postalCode", "string", "The zip code or postal code component."),
      attr("country", "string", "The country name component (ISO 3166-1 alpha-2)."),
      attr("type", "string", "A label indicating the address' function.", { canonicalValues: ["work", "home", "other"] }),
      attr("primary", "boolean", "Whether this is the primary address; at most one may be primary."),
    ],
  }),
  multiValued("groups", "A list of groups to which the user belongs, derived from Group memberships. Read-only: change membership through /Groups.", "string", {
    mutability: "readOnly",
    // Group ids, compared exactly like `id`.
    valueOptions: { mutability: "readOnly", caseExact: true },
    extra: [attr("$ref", "reference", "The URI of the Group.", { mutability: "readOnly", referenceTypes: ["Group"] })],
  }),
  multiValued("entitlements", "A list of entitlements for the User that represent a thing the User has.", "string"),
  multiValued("roles", "A list of roles for the User that collectively represent who the User is.", "string"),
  multiValued("x509Certificates", "A list of certificates issued to the User.", "binary"),
];

export const enterpriseUserAttributes: AttributeDef[] = [
  attr("employeeNumber", "string", "Numeric or alphanumeric identifier assigned to a person."),
  attr("costCenter", "string", "Identifies the name of a cost center."),
  attr("organization", "string", "Identifies the name of an organization."),
  attr("division", "string", "Identifies the name of a division."),
  attr("department", "string", "Identifies the name of a department."),
  attr("manager", "complex", "The User's manager.", {
    subAttributes: [
      attr("value", "string", "The id of the SCIM resource representing the User's manager.", { required: true }),
      attr("$ref", "reference", "The URI of the SCIM resource representing the User's manager.", { referenceTypes: ["User"] }),
      attr("displayName", "string", "The displayName of the User's manager.", { mutability: "readOnly" }),
    ],
  }),
];
