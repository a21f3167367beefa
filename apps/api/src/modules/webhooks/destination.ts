import { lookup } from "node:dns/promises";
import net from "node:net";

/** Why a webhook URL is refused (the 400's message names the rule). */
export class DestinationRefused extends Error {
  override name = "DestinationRefused";
}

const BLOCKED = new net.BlockList();
// Loopback, private, link-local (cloud metadata 169.254.169.254 included), carrier-grade NAT,
// "this network", documentation, benchmarking, multicast and reserved ranges.
for (const [prefix, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  BLOCKED.addSubnet(prefix, bits, "ipv4");
}
for (const [prefix, bits] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["2001:db8::", 32],
  ["64:ff9b::", 96],
  ["100::", 64],
] as const) {
  BLOCKED.addSubnet(prefix, bits, "ipv6");
}

/** Whether an address may receive webhooks: public unicast only (IPv4-mapped IPv6 read as IPv4). */
export function isPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return false;
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return !BLOCKED.check(mapped[1]!, "ipv4");
    return !BLOCKED.check(address, "ipv6");
  }
  return !BLOCKED.check(address, "ipv4");
}

/** The URL rules of an endpoint, at creation (and again before each delivery). */
export function checkUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DestinationRefused("must be an absolute URL");
  }
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) {
    throw new DestinationRefused("must use https://");
  }
  if (url.username || url.password) {
    throw new DestinationRefused("must not carry a user name or password");
  }
  return url;
}

/**
 * The address to connect to for `hostname`, resolved now (each delivery resolves again, so
 * re-binding a name to a private address after creation does not help): every address it
 * resolves to must be public unless `allowPrivate`.
 */
export async function resolveDestination(
  hostname: string,
  allowPrivate: boolean,
): Promise<{ address: string; family: 4 | 6 }> {
  const host = hostname.replace(/^\[|\]$/g, "");
  const found = net.isIP(host)
    ? [{ address: host, family: net.isIP(host) as 4 | 6 }]
    : ((await lookup(host, { all: true, verbatim: true }).catch(() => {
        throw new DestinationRefused(`the host name ${host} does not resolve`);
      })) as { address: string; family: 4 | 6 }[]);
  if (found.length === 0) throw new DestinationRefused(`the host name ${host} does not resolve`);
  if (!allowPrivate) {
    const blocked = found.find((a) => !isPublicAddress(a.address));
    if (blocked) {
      throw new DestinationRefused(
        `must not resolve to a loopback, private, link-local or metadata address (${host} resolves to ${blocked.address}); APF_WEBHOOKS_ALLOW_PRIVATE=1 lifts this rule`,
      );
    }
  }
  return found[0]!;
}
