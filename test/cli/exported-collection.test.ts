// A collection as `hexarchive export` writes it: without the exporting catalogue's own monthly
// snapshot assets (the importing catalogue builds its own), with every other asset kept.
import { describe, expect, it } from "vitest";
import { exportedCollection } from "../../cli/commands/export-import.ts";

describe("exportedCollection", () => {
  it("drops snapshot assets and keeps the others", () => {
    const c = {
      type: "Collection",
      id: "s2",
      links: [],
      assets: {
        "snapshot-2024-05": {
          href: "https://a.example/collections/s2/snapshots/2024-05",
          roles: ["data", "collection-mirror"],
        },
        "snapshot-notes": { href: "https://a.example/notes.pdf", roles: ["metadata"] },
        thumbnail: { href: "https://a.example/s2.png", roles: ["thumbnail"] },
      },
    };
    expect(Object.keys(exportedCollection(c)["assets"] as object)).toEqual(["snapshot-notes", "thumbnail"]);
  });
});
