// Each change on the topic carries the attributes consumers filter on, and the SNS request spells them
// as SNS reads them (String.Array as a JSON array).
import { describe, expect, it } from "vitest";
import { publishBatchForm } from "../../shared/aws/sns-publish.ts";
import { cellToKey } from "../../shared/index/cells.ts";
import { changeMessage, InProcessBus } from "../../shared/subscriptions/publisher.ts";
import { makeItem } from "../api/seed.ts";

const change = {
  cursor: "c1",
  collection: "s2",
  id: "a",
  kind: "created" as const,
  at: "2025-01-01T00:00:00Z",
  version: "v1",
};

describe("change messages", () => {
  it("carry collection, event, platform and the coarse cells of the footprint", () => {
    const item = makeItem({
      collection: "s2",
      id: "a",
      lon: 10,
      lat: 50,
      datetime: "2025-01-01T00:00:00Z",
      properties: { platform: "sentinel-2b" },
    });
    const m = changeMessage(change, item);
    expect(m.attributes).toMatchObject({ collection: "s2", event: "created", platform: "sentinel-2b" });
    expect(m.attributes.cells.length).toBeGreaterThan(0);
    expect(m.attributes.cells.length).toBeLessThanOrEqual(8);
    for (const c of m.attributes.cells) expect(cellToKey(c).length - 3).toBeLessThanOrEqual(2);
    const deleted = changeMessage({ ...change, kind: "deleted" }, undefined);
    expect(deleted.attributes).toEqual({ collection: "s2", event: "deleted", cells: [] });
  });

  it("become a PublishBatch form with String and String.Array attributes", () => {
    const f = publishBatchForm("arn:aws:sns:eu-west-1:1:t", [
      { id: "0", body: "{}", attributes: { collection: "s2", cells: ["821fa7fffffffff"] } },
    ]);
    expect(f.get("Action")).toBe("PublishBatch");
    expect(f.get("PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.DataType")).toBe(
      "String",
    );
    expect(f.get("PublishBatchRequestEntries.member.1.MessageAttributes.entry.2.Name")).toBe("cells");
    expect(f.get("PublishBatchRequestEntries.member.1.MessageAttributes.entry.2.Value.DataType")).toBe(
      "String.Array",
    );
    expect(f.get("PublishBatchRequestEntries.member.1.MessageAttributes.entry.2.Value.StringValue")).toBe(
      '["821fa7fffffffff"]',
    );
  });

  it("reach every listener of the local bus, whatever one of them throws", async () => {
    const bus = new InProcessBus();
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error("bad listener");
    });
    bus.subscribe((m) => seen.push(m.change.id));
    await bus.publish([changeMessage(change, undefined)]);
    expect(seen).toEqual(["a"]);
  });
});
