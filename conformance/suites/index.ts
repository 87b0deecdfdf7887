// Profile → suites. `all` runs rfc, okta, entra, then the isolation checks.
import type { Suite } from "../runner.ts";
import { entraCases } from "./entra.ts";
import { isolationCases } from "./isolation.ts";
import { oktaCases } from "./okta.ts";
import { rfcCrudCases } from "./rfc-crud.ts";
import { rfcDiscoveryCases } from "./rfc-discovery.ts";
import { rfcEtagBulkCases } from "./rfc-etag-bulk.ts";
import { rfcFilterCases } from "./rfc-filter.ts";
import { rfcListCases } from "./rfc-list.ts";
import { rfcPatchCases } from "./rfc-patch.ts";

export const PROFILES = ["rfc", "okta", "entra", "isolation"] as const;

const SUITES: Record<(typeof PROFILES)[number], Suite> = {
  rfc: { profile: "rfc", cases: [...rfcDiscoveryCases, ...rfcCrudCases, ...rfcFilterCases, ...rfcListCases, ...rfcPatchCases, ...rfcEtagBulkCases] },
  okta: { profile: "okta", cases: oktaCases },
  entra: { profile: "entra", cases: entraCases },
  isolation: { profile: "isolation", cases: isolationCases },
};

export function suitesFor(profile: string): Suite[] {
  if (profile === "all") return PROFILES.map((p) => SUITES[p]);
  const s = SUITES[profile as (typeof PROFILES)[number]];
  return s ? [s] : [];
}

export function allCaseIds(): string[] {
  return PROFILES.flatMap((p) => SUITES[p].cases.map((c) => c.id));
}
