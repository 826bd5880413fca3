import { ApiError } from "./errors";
import { privateId } from "../lib/hash";

/** Cloudflare sets this header on every request at the edge; clients cannot forge it there. */
export function clientIp(request: Request): string {
  return request.headers.get("CF-Connecting-IP")?.trim() || "unknown";
}

/** The eight 16-bit groups of an IPv6 address, or null when it is not one. */
function ipv6Groups(address: string): number[] | null {
  const [head = "", tail, ...rest] = address.toLowerCase().replace(/%.*$/, "").split("::");
  if (rest.length > 0) return null;
  const parse = (part: string) => (part === "" ? [] : part.split(":"));
  let left = parse(head);
  let right = tail === undefined ? [] : parse(tail);
  // An embedded IPv4 tail (::ffff:192.0.2.1) is two groups.
  const last = (tail === undefined ? left : right).at(-1);
  if (last?.includes(".")) {
    const octets = last.split(".").map(Number);
    if (octets.length !== 4 || octets.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) return null;
    const groups = [((octets[0]! << 8) | octets[1]!).toString(16), ((octets[2]! << 8) | octets[3]!).toString(16)];
    if (tail === undefined) left = [...left.slice(0, -1), ...groups];
    else right = [...right.slice(0, -1), ...groups];
  }
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...right];
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  return groups.map((group) => parseInt(group, 16));
}

/**
 * Who a client is, for limits and caps: its IPv4 address, or for IPv6 its /64 network, because
 * one subscriber is routinely handed a whole /64 and could otherwise rotate through 2^64 addresses.
 */
export function clientNetwork(address: string): string {
  const groups = address.includes(":") ? ipv6Groups(address) : null;
  if (!groups) return address;
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (mapped) return `${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`;
  return `${groups.slice(0, 4).map((group) => group.toString(16)).join(":")}::/64`;
}

export function requireHashSecret(secret: string | undefined): string {
  if (!secret) {
    throw new ApiError(503, "not_configured", "This server has no HASH_SECRET set, so it cannot accept writes yet.");
  }
  return secret;
}

/** The HMAC of the client's network: what limits and caps key on, and all that is ever stored. */
export function clientId(secret: string, request: Request): Promise<string> {
  return privateId(secret, "ip", clientNetwork(clientIp(request)));
}
