/**
 * Webhook URLs are chosen by customers and fetched by our servers, so a URL
 * must never reach into our own network (SSRF): a host that is, or resolves to,
 * a private, loopback, link-local, unique-local, CGNAT, multicast, reserved or
 * unspecified address is refused — IPv4-mapped and NAT64/6to4/Teredo forms
 * included, since those carry an IPv4 address inside.
 *
 * Checked twice: when a URL is saved and when it is delivered
 * (`assertPublicUrl`), and again at connect time (`safeLookup`), because a
 * name may resolve to a public address at the check and a private one a moment
 * later (DNS rebinding).
 *
 * `WEBHOOKS_ALLOW_PRIVATE=true` turns all of this off: for local development
 * (a receiver on localhost) and tests only, never in production.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

import type { WebhookEvent } from "@/db/schema";
import { parseHttpUrl, UnsafeUrlError } from "./http-url";

// The browser-safe half (the form's URL check) lives in ./http-url; both are used from here.
export { parseHttpUrl, UnsafeUrlError };

export function privateAddressesAllowed(): boolean {
  return process.env.WEBHOOKS_ALLOW_PRIVATE === "true";
}

/**
 * ipaddr.js 2.5 names every special range and answers "unicast" for the rest,
 * for both families (it has no "global"); so "unicast" is the only allowed
 * answer. IPv4-mapped IPv6 (::ffff:a.b.c.d) is judged as the IPv4 it maps.
 * Returns what kind of address it is ("a loopback address"), or null when public.
 */
function nonPublicKind(text: string): string | null {
  if (!ipaddr.isValid(text)) return "not an IP address";
  const parsed = ipaddr.parse(text);
  const address =
    parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? (parsed as ipaddr.IPv6).toIPv4Address() : parsed;
  const range = address.range();
  if (range !== "unicast") return `a ${describeRange(range)} address`;
  // The deprecated IPv4-compatible block ::/96 (e.g. ::7f00:1) has no range of its own in ipaddr.js.
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0)) {
    return "an IPv4-compatible (deprecated) address";
  }
  return null;
}

/** Why an address the URL names literally is refused ("127.0.0.1 is a loopback address"), or null when public. */
export function addressRefusal(text: string): string | null {
  const kind = nonPublicKind(text);
  return kind && `${text} is ${kind}`;
}

/**
 * Why a name is refused, from what it resolved to: the kind of address only,
 * never the address itself, so a refusal cannot be used to read our internal
 * DNS ("db.internal resolves to a private address").
 */
function resolvedRefusal(host: string, addresses: readonly string[]): string | null {
  if (addresses.length === 0) return `${host} resolves to no address`;
  const kind = addresses.map(nonPublicKind).find((k) => k !== null);
  return kind ? `${host} resolves to ${kind}` : null;
}

const RANGE_NAMES: Record<string, string> = {
  private: "private",
  loopback: "loopback",
  linkLocal: "link-local",
  uniqueLocal: "unique-local",
  carrierGradeNat: "carrier-grade NAT",
  multicast: "multicast",
  unspecified: "unspecified",
  broadcast: "broadcast",
};
const describeRange = (range: string) => RANGE_NAMES[range] ?? `non-public (${range})`;

/** The URL's host as an address when it is a literal IP (brackets of IPv6 removed), else null. */
function literalAddress(hostname: string): string | null {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) ? bare : null;
}

/** The refusal for a literal-IP host (checked without DNS), or null when the host is a name or public. */
export function literalHostRefusal(url: URL): string | null {
  const literal = literalAddress(url.hostname);
  return literal ? addressRefusal(literal) : null;
}

const UNRESOLVED = new Set(["ENOTFOUND", "EAI_AGAIN", "ENODATA", "ESERVFAIL"]);

/**
 * Refuses (UnsafeUrlError) anything but an http(s) URL whose host is, and
 * resolves only to, public addresses; every resolved address is checked, not
 * only the first. A name that does not resolve at all passes: it points
 * nowhere, and the connect-time check (`safeLookup`) still guards delivery.
 */
export async function assertPublicUrl(url: string): Promise<void> {
  const parsed = parseHttpUrl(url);
  if (privateAddressesAllowed()) return;
  const host = parsed.hostname;
  if (literalAddress(host)) {
    const refusal = literalHostRefusal(parsed);
    if (refusal) throw new UnsafeUrlError(`refused: ${refusal}`);
    return;
  }
  let addresses: LookupAddress[];
  try {
    addresses = await new Promise<LookupAddress[]>((resolve, reject) =>
      dnsLookup(host, { all: true, verbatim: true }, (error, found) => (error ? reject(error) : resolve(found))),
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (UNRESOLVED.has(code)) return;
    throw new UnsafeUrlError(`refused: ${host} could not be resolved (${code || "lookup failed"})`);
  }
  const refusal =
    addresses.length > 0
      ? resolvedRefusal(
          host,
          addresses.map((a) => a.address),
        )
      : null;
  if (refusal) throw new UnsafeUrlError(`refused: ${refusal}`);
}

/**
 * The first of these URLs (one per event; null or absent = off) that must not be
 * saved, with the reason; null when all may be. Used when settings are saved,
 * by the API and the portal alike (resolving names takes I/O, so this runs
 * before anything is written).
 */
export async function firstUnsafeUrl(
  urls: Partial<Record<WebhookEvent, string | null | undefined>>,
): Promise<{ event: WebhookEvent; message: string } | null> {
  for (const [event, url] of Object.entries(urls) as [WebhookEvent, string | null | undefined][]) {
    if (!url) continue;
    try {
      await assertPublicUrl(url);
    } catch (error) {
      if (error instanceof UnsafeUrlError) return { event, message: error.message };
      throw error;
    }
  }
  return null;
}

/**
 * A `lookup` for http.request/https.request that resolves like the default and
 * fails the connection when any address is not public, so what is checked is
 * exactly what is connected to. (Literal IP hosts never reach a lookup: check
 * them with `literalHostRefusal`.)
 */
export const safeLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "");
    const refusal = resolvedRefusal(
      hostname,
      addresses.map((a) => a.address),
    );
    if (refusal) {
      const refused: NodeJS.ErrnoException = new Error(`refused: ${refusal}`);
      refused.code = "EUNSAFEADDRESS";
      return callback(refused, "");
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};
