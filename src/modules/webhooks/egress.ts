// Where webhook deliveries may go. Vendor admins register the URLs, but a URL that reaches
// Roster's own network (loopback, private ranges, link-local cloud metadata at 169.254.169.254)
// would let an admin API caller make the worker probe internal services (SSRF). In production
// such destinations are refused unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true.
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

const internal = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16],
  ["172.16.0.0", 12], ["192.0.0.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) internal.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8]] as const) internal.addSubnet(net, prefix, "ipv6");

/** Whether an IP address belongs to a loopback, private, link-local or otherwise internal range. */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return internal.check(mapped[1]!, "ipv4");
  const family = isIP(address);
  return family === 4 ? internal.check(address, "ipv4") : family === 6 ? internal.check(address, "ipv6") : false;
}

function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[|\]$/g, "");
}

/** At registration: a literal internal address or `localhost` is refused outright. */
export function internalUrlReason(url: string): string | null {
  const host = hostOf(url).toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return "url points at localhost";
  return isIP(host) && isInternalAddress(host) ? "url points at an internal network address" : null;
}

/**
 * Before each delivery: every address the name resolves to must be public, so a DNS name
 * pointing inside is refused too. (A name re-pointed between this check and the connection is
 * not caught; the check narrows SSRF, it does not replace network egress rules.)
 */
export async function assertPublicDestination(url: string): Promise<void> {
  const reason = internalUrlReason(url);
  if (reason) throw new Error(reason);
  const host = hostOf(url);
  if (isIP(host)) return;
  const addresses = await lookup(host, { all: true });
  const inside = addresses.find((a) => isInternalAddress(a.address));
  if (inside) throw new Error(`url resolves to an internal address (${inside.address})`);
}
