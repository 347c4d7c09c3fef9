// The access rules `npm start` runs with, plus one collection only a group may read: the hostile-input
// and malformed-input suites probe the API under them.
import type { AccessPolicy } from "../../shared/auth/access-policy.ts";

export const RESTRICTED_ACCESS: AccessPolicy = {
  search: "public",
  download: "authenticated",
  collections: { radar: { search: "group:partners", download: "group:partners" } },
};
