// The DHuS-compatible hub: what composition roots use (shared/api/app.ts mounts it at DHUS_PREFIX).

export { itemUuid, UUID_PROPERTY } from "../index/product-uuid.ts";
export {
  DHUS_PREFIX,
  type DhusDeps,
  type DhusSources,
  dhusDepsFrom,
  type ObjectReader,
  presignedReader,
} from "./deps.ts";
export { dhusHub } from "./routes.ts";
