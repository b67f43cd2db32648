/**
 * IP allowlists for API keys. Parsing and matching go through ipaddr.js; this
 * module adds strictness on top, because ipaddr.js accepts legacy notations
 * that read differently to a human than to the parser (octal `010.0.0.1`,
 * hex, short forms like `10.1`), and an allowlist must mean what it looks like.
 */
import ipaddr from "ipaddr.js";
import { z } from "zod";

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

// `kind()` does not narrow the union for TypeScript; this guard does.
const isV4 = (a: Address): a is ipaddr.IPv4 => a.kind() === "ipv4";

export type CidrResult = { ok: true; value: string } | { ok: false; message: string };

const NOT_AN_ADDRESS = "not an IPv4 or IPv6 address or CIDR";
// The longest real spelling (full IPv6 with IPv4 tail, /128, an interface zone)
// is well under this; anything longer is refused before any regex sees it.
const MAX_INPUT_LENGTH = 128;

type AddressResult = { ok: true; address: Address } | { ok: false; message: string };

/** Strict parse of a single address (no prefix length, no zone id). */
function parseAddress(text: string): AddressResult {
  if (text.includes(":")) return parseIPv6(text);
  // Dotted decimal only, no leading zeros: ipaddr.js reads `010` as octal 8,
  // while most people (and many other tools) read it as decimal 10.
  if (/^\d+(\.\d+){3}$/.test(text) && text.split(".").some((p) => /^0\d/.test(p))) {
    return { ok: false, message: "IPv4 parts must not have leading zeros (010 could mean octal 8 or decimal 10)" };
  }
  if (!ipaddr.IPv4.isValidFourPartDecimal(text)) return { ok: false, message: NOT_AN_ADDRESS };
  return { ok: true, address: ipaddr.IPv4.parse(text) };
}

function parseIPv6(text: string): AddressResult {
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) return { ok: false, message: NOT_AN_ADDRESS };
  if (text.includes(".")) {
    // An embedded IPv4 tail (`::ffff:10.0.0.1`) must be strict dotted decimal too;
    // ipaddr.js would otherwise take `010` or `0x0a` there.
    const tail = text.slice(text.lastIndexOf(":") + 1);
    if (!ipaddr.IPv4.isValidFourPartDecimal(tail)) return { ok: false, message: NOT_AN_ADDRESS };
    // ipaddr.js turns the deprecated IPv4-compatible form `::a.b.c.d` into the
    // IPv4-mapped `::ffff:a.b.c.d`, a different address; refuse rather than guess.
    if (text === `::${tail}`) {
      return { ok: false, message: `"::${tail}" is the deprecated IPv4-compatible form; write ${tail} or ::ffff:${tail}` };
    }
  }
  if (!ipaddr.IPv6.isValid(text)) return { ok: false, message: NOT_AN_ADDRESS };
  return { ok: true, address: ipaddr.IPv6.parse(text) };
}

type RangeResult = { ok: true; range: Range } | { ok: false; message: string };

function parseRange(input: string): RangeResult {
  const text = input.trim();
  if (text === "") return { ok: false, message: "enter an IPv4 or IPv6 address or CIDR" };
  if (text.length > MAX_INPUT_LENGTH) return { ok: false, message: NOT_AN_ADDRESS };
  const [addressText, lengthText, ...rest] = text.split("/");
  if (rest.length > 0) return { ok: false, message: NOT_AN_ADDRESS };
  // A zone (fe80::1%eth0) only means something on one host's interface.
  if (addressText.includes("%")) return { ok: false, message: "zone ids (%…) are not allowed in an allowlist" };
  const parsed = parseAddress(addressText);
  if (!parsed.ok) return parsed;
  const { address } = parsed;
  const v4 = isV4(address);
  const maxLength = v4 ? 32 : 128;
  if (lengthText === undefined) return { ok: true, range: [address, maxLength] };
  const lengthMessage = `prefix length must be 0–${maxLength} for ${v4 ? "IPv4" : "IPv6"}`;
  // Digits only, no sign, no leading zeros ("/08"), so the text is the number.
  if (!/^(0|[1-9]\d*)$/.test(lengthText)) return { ok: false, message: lengthMessage };
  const length = Number(lengthText);
  if (length > maxLength) return { ok: false, message: lengthMessage };
  const network = v4
    ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${length}`)
    : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${length}`);
  return { ok: true, range: [network, length] };
}

function formatAddress(address: Address): string {
  // RFC 5952 §5: IPv4-mapped addresses read best with a dotted-decimal tail.
  if (!isV4(address) && address.isIPv4MappedAddress()) return `::ffff:${address.toIPv4Address().toString()}`;
  return address.toString();
}

/**
 * Parses and normalizes one allowlist entry: a CIDR or a bare address (which
 * becomes /32 or /128). Host bits are cleared: "10.1.2.3/8" → "10.0.0.0/8".
 * IPv4-mapped IPv6 ranges stay IPv6 ("::ffff:10.0.0.0/104"); matching treats
 * them as the IPv4 range they map.
 */
export function parseCidr(input: string): CidrResult {
  if (typeof input !== "string") return { ok: false, message: NOT_AN_ADDRESS };
  const result = parseRange(input);
  if (!result.ok) return result;
  const [network, length] = result.range;
  return { ok: true, value: `${formatAddress(network)}/${length}` };
}

/** Parses a client address; zone ids are dropped, since rules never carry one. */
function parseClientAddress(input: string): Address | null {
  if (typeof input !== "string") return null;
  const text = input.trim();
  if (text.length > MAX_INPUT_LENGTH) return null;
  const withoutZone = text.includes(":") ? text.replace(/%.*$/, "") : text;
  const parsed = parseAddress(withoutZone);
  return parsed.ok ? parsed.address : null;
}

/** Matches across families: a.b.c.d and ::ffff:a.b.c.d are the same client. */
function inRange(address: Address, [network, length]: Range): boolean {
  if (isV4(network)) {
    if (isV4(address)) return address.match(network, length);
    return address.isIPv4MappedAddress() && address.toIPv4Address().match(network, length);
  }
  const v6 = isV4(address) ? address.toIPv4MappedAddress() : address;
  return v6.match(network, length);
}

/**
 * Is `address` inside any of `cidrs`? An empty list means "no restriction".
 * Fails closed: an unparseable address matches nothing, and an unparseable
 * entry is skipped (so a list of only bad entries allows no one).
 */
export function isAddressAllowed(address: string, cidrs: readonly string[]): boolean {
  if (cidrs.length === 0) return true;
  const client = parseClientAddress(address);
  if (!client) return false;
  return cidrs.some((cidr) => {
    const parsed = parseRange(cidr);
    return parsed.ok && inRange(client, parsed.range);
  });
}

/** A range as IPv6 (IPv4 as its mapped form, length + 96), so ranges of either spelling compare. */
function asV6([network, length]: Range): [ipaddr.IPv6, number] {
  return isV4(network) ? [network.toIPv4MappedAddress(), length + 96] : [network, length];
}

/**
 * Does one of `outers` contain every address of `inner`? (A key may hand out
 * only ranges inside its own.) Fails closed: an unparseable entry contains and
 * is contained by nothing.
 */
export function isRangeWithin(inner: string, outers: readonly string[]): boolean {
  const parsed = parseRange(inner);
  if (!parsed.ok) return false;
  const [network, length] = asV6(parsed.range);
  return outers.some((outer) => {
    const o = parseRange(outer);
    if (!o.ok) return false;
    const [outerNetwork, outerLength] = asV6(o.range);
    return length >= outerLength && network.match(outerNetwork, outerLength);
  });
}

/** One allowlist entry in a form: trimmed, validated, output normalized. */
export const cidrSchema = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const result = parseCidr(value);
    if (!result.ok) {
      ctx.addIssue({ code: "custom", message: result.message });
      return z.NEVER;
    }
    return result.value;
  })
  .meta({ description: "An IPv4 or IPv6 address or CIDR", example: "203.0.113.0/24" });
