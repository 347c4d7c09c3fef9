// The change topic on AWS: each change as an SNS message whose attributes (collection, event, platform,
// cells) let consumers subscribe with a filter policy instead of reading every message.
import { publishBatch, type SnsOptions } from "../aws/sns-publish.ts";
import type { ChangeMessage, ChangePublisher } from "./publisher.ts";

export class SnsChangePublisher implements ChangePublisher {
  constructor(private readonly sns: SnsOptions) {}

  async publish(messages: ChangeMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      await publishBatch(
        this.sns,
        messages.slice(i, i + 10).map((m, j) => ({
          id: String(j),
          body: JSON.stringify(m.change),
          attributes: {
            collection: m.attributes.collection,
            event: m.attributes.event,
            ...(m.attributes.platform ? { platform: m.attributes.platform } : {}),
            ...(m.attributes.cells.length ? { cells: m.attributes.cells } : {}),
          },
        })),
      );
    }
  }
}
