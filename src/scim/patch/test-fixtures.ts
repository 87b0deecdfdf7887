// Shared by the PATCH engine's tests: the message URN, a PatchOp body builder, and deepFreeze
// (every input is frozen, so any mutation of `current` fails the test that caused it).
export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export type Obj = Record<string, unknown>;

export function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object") {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

export const body = (...ops: unknown[]) => ({ schemas: [PATCH_OP], Operations: ops });
