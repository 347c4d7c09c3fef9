// Which webhook URLs a subscription may name: HTTPS to a public address. Loopback (plain HTTP too) only
// where the deployment allows it (the local stack); private, link-local, metadata and reserved ranges
// never, checked when the subscription is made and again at every delivery's own DNS lookup.
import { lookup as dnsLookup } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { BadRequestError } from "../errors.ts";

const ranges = (list: [string, number, "ipv4" | "ipv6"][]) => {
  const b = new BlockList();
  for (const [net, prefix, type] of list) b.addSubnet(net, prefix, type);
  return b;
};

const LOOPBACK = ranges([
  ["127.0.0.0", 8, "ipv4"],
  ["::1", 128, "ipv6"],
]);
const METADATA = ranges([
  ["169.254.169.254", 32, "ipv4"],
  ["fd00:ec2::254", 128, "ipv6"],
]);
const LINK_LOCAL = ranges([
  ["169.254.0.0", 16, "ipv4"],
  ["fe80::", 10, "ipv6"],
]);
const PRIVATE = ranges([
  ["10.0.0.0", 8, "ipv4"],
  ["172.16.0.0", 12, "ipv4"],
  ["192.168.0.0", 16, "ipv4"],
  ["100.64.0.0", 10, "ipv4"],
  ["fc00::", 7, "ipv6"],
]);
const RESERVED = ranges([
  ["0.0.0.0", 8, "ipv4"],
  ["192.0.0.0", 24, "ipv4"],
  ["192.0.2.0", 24, "ipv4"],
  ["198.18.0.0", 15, "ipv4"],
  ["198.51.100.0", 24, "ipv4"],
  ["203.0.113.0", 24, "ipv4"],
  ["224.0.0.0", 3, "ipv4"],
  ["::", 128, "ipv6"],
  ["ff00::", 8, "ipv6"],
  ["2001:db8::", 32, "ipv6"],
]);

/** An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is judged as the IPv4 address it carries. */
function unmapped(ip: string): { ip: string; type: "ipv4" | "ipv6" } {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (m) return { ip: m[1]!, type: "ipv4" };
  return { ip, type: isIP(ip) === 6 ? "ipv6" : "ipv4" };
}

/** Why a webhook may not be sent to this address ("loopback", "private", …); undefined: a public address. */
export function addressClass(address: string): string | undefined {
  const { ip, type } = unmapped(address);
  if (LOOPBACK.check(ip, type)) return "loopback";
  if (METADATA.check(ip, type)) return "cloud metadata";
  if (LINK_LOCAL.check(ip, type)) return "link-local";
  if (PRIVATE.check(ip, type)) return "private";
  if (RESERVED.check(ip, type)) return "reserved";
  return undefined;
}

export interface WebhookPolicy {
  /** Loopback receivers (plain HTTP too): the local stack and its tests, never a deployment. */
  allowLoopback: boolean;
}

/** The reason an address is refused under the policy, or undefined. */
export function refusedAddress(address: string, policy: WebhookPolicy): string | undefined {
  const c = addressClass(address);
  if (c === undefined || (c === "loopback" && policy.allowLoopback)) return undefined;
  return `${address}, a ${c} address`;
}

export type Resolve = (host: string) => Promise<string[]>;

/** Every address of a host name, as the deliverer's own requests would find them. */
export const resolveAll: Resolve = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses.map((a) => a.address)),
    ),
  );

/** Checks a webhook URL when a subscription is made: 400 with the reason when it is refused. */
export async function checkWebhookUrl(raw: string, policy: WebhookPolicy, resolve: Resolve = resolveAll) {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BadRequestError(`delivery.url: '${raw}' is not a URL`);
  }
  if (url.username || url.password)
    throw new BadRequestError("delivery.url: must not carry credentials (the body is signed instead)");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const loopbackName = host === "localhost" || (isIP(host) !== 0 && addressClass(host) === "loopback");
  if (url.protocol !== "https:" && !(url.protocol === "http:" && policy.allowLoopback && loopbackName))
    throw new BadRequestError(`delivery.url: must be an https:// URL, got '${url.protocol}//${url.host}'`);
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolve(host);
  } catch {
    throw new BadRequestError(`delivery.url: host '${host}' does not resolve`);
  }
  for (const a of addresses) {
    const why = refusedAddress(a, policy);
    if (why) throw new BadRequestError(`delivery.url: host '${host}' resolves to ${why}`);
  }
}

/**
 * A DNS lookup for the deliverer's requests that refuses the same addresses, so that a name which
 * resolved to a public address at creation cannot be pointed at a private one later.
 */
export function guardedLookup(policy: WebhookPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 4);
      const list = addresses as unknown as { address: string; family: number }[];
      const bad = list.map((a) => refusedAddress(a.address, policy)).find((w) => w !== undefined);
      if (bad) return callback(new Error(`refused: ${hostname} resolves to ${bad}`), "", 4);
      if ((options as { all?: boolean }).all) return (callback as (e: null, a: unknown) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
