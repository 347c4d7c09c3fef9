// The DHuS-compatible hub: what composition roots and ingest use.
export { DHUS_PREFIX, type DhusDeps, dhusDepsFrom, type ObjectReader, presignedReader } from "./deps.ts";
export { withDhusHub } from "./routes.ts";
export { itemUuid, UUID_PROPERTY, withProductUuid } from "./uuid.ts";
