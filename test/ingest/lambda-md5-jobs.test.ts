// Starting an MD5 job on AWS: a signed asynchronous Lambda invocation whose payload the MD5 function
// accepts back. No Lambda endpoint runs here: `fetch` is replaced by a recorder.
import { describe, expect, it } from "vitest";
import { TransientError } from "../../shared/errors.ts";
import { LambdaMd5Jobs } from "../../shared/ingest/lambda-md5-jobs.ts";
import { type Md5Job, parseMd5Event } from "../../shared/ingest/md5-jobs.ts";
import { makeS3Client } from "../../shared/storage/clients.ts";

const job: Md5Job = {
  bucket: "products",
  key: "sentinel-1/S1A_IW_SLC__1SDV_20240601T051230.zip",
  etag: "a9f0e61a137d86aa9db53465e0801612-480",
  size: 4_026_531_840,
  collection: "sentinel-1-slc",
  id: "S1A_IW_SLC__1SDV_20240601T051230",
  version: "0000000000000000018F3A2B4C5D6E7F",
};

function jobs(status: number) {
  const calls: { url: string; init: RequestInit }[] = [];
  const s3 = makeS3Client({
    region: "eu-central-1",
    credentials: { accessKeyId: "AK", secretAccessKey: "SK" },
  });
  const starter = new LambdaMd5Jobs({
    functionName: "hexarchive-md5",
    region: "eu-central-1",
    credentials: s3.config.credentials,
    fetch: async (url, init) => {
      calls.push({ url: String(url), init: init! });
      return new Response(status === 202 ? "" : "Rate exceeded", { status });
    },
  });
  return { starter, calls };
}

describe("LambdaMd5Jobs", () => {
  it("invokes the MD5 function asynchronously, signed, with a payload the function parses back", async () => {
    const { starter, calls } = jobs(202);
    await starter.start(job);
    expect(calls).toHaveLength(1);
    const { url, init } = calls[0]!;
    expect(url).toBe(
      "https://lambda.eu-central-1.amazonaws.com/2015-03-31/functions/hexarchive-md5/invocations",
    );
    const headers = init.headers as Record<string, string>;
    expect(headers["x-amz-invocation-type"]).toBe("Event");
    expect(headers["authorization"]).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AK\/\d{8}\/eu-central-1\/lambda\//,
    );
    expect(parseMd5Event(JSON.parse(String(init.body)))).toEqual(job);
  });

  it("fails retryably when Lambda does not queue the event, so the ingest record is retried", async () => {
    const { starter } = jobs(429);
    await expect(starter.start(job)).rejects.toBeInstanceOf(TransientError);
  });
});
