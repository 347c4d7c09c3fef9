// Webhook URLs and signatures: names that resolve to private or metadata addresses are refused (at
// creation and by the deliverer's own lookup), loopback only where allowed, and signatures check
// the body, the secret and the age.
import { describe, expect, it } from "vitest";
import { signBody, verifySignature } from "../../shared/subscriptions/signature.ts";
import { addressClass, checkWebhookUrl } from "../../shared/subscriptions/webhook-target.ts";

const dns: Record<string, string[]> = {
  "public.example": ["93.184.215.14"],
  "sneaky.example": ["93.184.215.14", "10.0.0.7"],
  "metadata.example": ["169.254.169.254"],
  "v6.example": ["fd00:ec2::254"],
  "home.example": ["127.0.0.1"],
};
const resolve = async (host: string) => {
  const a = dns[host];
  if (!a) throw new Error("ENOTFOUND");
  return a;
};
const deployed = { allowLoopback: false };
const local = { allowLoopback: true };

describe("webhook URLs", () => {
  it("classify addresses", () => {
    expect(addressClass("8.8.8.8")).toBeUndefined();
    expect(addressClass("2001:4860:4860::8888")).toBeUndefined();
    expect(addressClass("127.0.0.2")).toBe("loopback");
    expect(addressClass("::1")).toBe("loopback");
    expect(addressClass("169.254.169.254")).toBe("cloud metadata");
    expect(addressClass("fd00:ec2::254")).toBe("cloud metadata");
    expect(addressClass("169.254.10.1")).toBe("link-local");
    expect(addressClass("172.31.255.1")).toBe("private");
    expect(addressClass("100.64.0.1")).toBe("private");
    expect(addressClass("::ffff:10.0.0.1")).toBe("private");
    expect(addressClass("0.0.0.0")).toBe("reserved");
    expect(addressClass("239.1.1.1")).toBe("reserved");
  });

  it("accept HTTPS to public hosts only", async () => {
    await expect(checkWebhookUrl("https://public.example/hook", deployed, resolve)).resolves.toBeUndefined();
    await expect(checkWebhookUrl("https://sneaky.example/hook", deployed, resolve)).rejects.toThrow(
      /resolves to 10\.0\.0\.7, a private address/,
    );
    await expect(checkWebhookUrl("https://metadata.example/", deployed, resolve)).rejects.toThrow(/metadata/);
    await expect(checkWebhookUrl("https://v6.example/", deployed, resolve)).rejects.toThrow(/metadata/);
    await expect(checkWebhookUrl("https://nowhere.example/", deployed, resolve)).rejects.toThrow(
      /does not resolve/,
    );
    await expect(checkWebhookUrl("ftp://public.example/", deployed, resolve)).rejects.toThrow(/https/);
    await expect(checkWebhookUrl("not a url", deployed, resolve)).rejects.toThrow(/not a URL/);
  });

  it("take loopback receivers, plain HTTP included, only where the deployment allows them", async () => {
    await expect(checkWebhookUrl("http://127.0.0.1:8080/hook", deployed, resolve)).rejects.toThrow(/https/);
    await expect(checkWebhookUrl("https://home.example/hook", deployed, resolve)).rejects.toThrow(/loopback/);
    await expect(checkWebhookUrl("http://127.0.0.1:8080/hook", local, resolve)).resolves.toBeUndefined();
    await expect(checkWebhookUrl("https://home.example/hook", local, resolve)).resolves.toBeUndefined();
    await expect(checkWebhookUrl("http://public.example/hook", local, resolve)).rejects.toThrow(/https/);
    await expect(checkWebhookUrl("https://sneaky.example/hook", local, resolve)).rejects.toThrow(/private/);
  });
});

describe("webhook signatures", () => {
  const body = '{"id":"1"}';
  const now = 1_800_000_000;
  const header = signBody("s3cret", body, now);

  it("verify the body they were made for, with the same secret, while fresh", () => {
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature("s3cret", body, header, { now })).toBe(true);
    expect(verifySignature("s3cret", '{"id":"2"}', header, { now })).toBe(false);
    expect(verifySignature("other", body, header, { now })).toBe(false);
    expect(verifySignature("s3cret", body, header, { now: now + 301 })).toBe(false);
    expect(verifySignature("s3cret", body, header.replace("t=1800000000", "t=1800000001"), { now })).toBe(
      false,
    );
    expect(verifySignature("s3cret", body, undefined, { now })).toBe(false);
  });
});
