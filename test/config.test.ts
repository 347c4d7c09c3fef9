// shared/config.ts: the lifetime of download lists' refresh links (a week unless set, bounded).
import { describe, expect, it } from "vitest";
import { ENV_NAMES, loadConfig } from "../shared/config.ts";

const BASE = { HEXARCHIVE_TABLE: "t", HEXARCHIVE_PRODUCTS_BUCKET: "bkt" };

describe("refresh link lifetime", () => {
  it("is a week by default, set by HEXARCHIVE_REFRESH_LINK_SECONDS, and refused out of bounds", () => {
    expect(ENV_NAMES.refreshLinkSeconds).toBe("HEXARCHIVE_REFRESH_LINK_SECONDS");
    expect(loadConfig(BASE).refreshLinkSeconds).toBe(604_800);
    expect(loadConfig({ ...BASE, HEXARCHIVE_REFRESH_LINK_SECONDS: "86400" }).refreshLinkSeconds).toBe(86_400);
    expect(() => loadConfig({ ...BASE, HEXARCHIVE_REFRESH_LINK_SECONDS: "5" })).toThrow(
      /REFRESH_LINK_SECONDS/,
    );
  });
});
