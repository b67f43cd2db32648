// The request target as the portal serves it: always origin-form ("/path?query").
// Node hands server.mjs the target exactly as the client sent it. An absolute-form
// target ("GET http://elsewhere.example/x HTTP/1.1", which proxies send and RFC 9112
// §3.2.2 says a server must accept) reached Next.js as-is, and Next answered a
// redirect (308) whose Location named the foreign host: an open redirect. A path
// starting with "//" is the same hazard in another form ("//elsewhere.example/x" is a
// network-path reference wherever it ends up in a Location). So server.mjs keeps only
// the path and query of an absolute-form target, collapses leading slashes to one,
// and refuses the forms no page or API can answer (authority-form, "*").

/**
 * The origin-form target for `url` (the raw request target), or null when the
 * request cannot name a resource here and gets 400.
 * @param {string | undefined} url
 * @returns {string | null}
 */
export function originFormTarget(url) {
  if (typeof url !== "string" || url === "") return null;
  if (url.startsWith("/")) return url.replace(/^\/{2,}/, "/");
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  // The raw path and query after the authority, not URL's normalized pathname: dot
  // segments and percent-encoding are left for Next (and unrouted-api.mjs) to read as before.
  const afterAuthority = url.slice(parsed.protocol.length + 2).replace(/^[^/?#]*/, "");
  const withoutFragment = afterAuthority.replace(/#.*$/, "");
  const target = withoutFragment.startsWith("/") ? withoutFragment : `/${withoutFragment}`;
  return target.replace(/^\/{2,}/, "/");
}
