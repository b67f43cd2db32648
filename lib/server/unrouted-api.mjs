// Requests under /api/v1 that Next.js cannot route, answered by server.mjs in
// the API's JSON envelope (api-v1.md §2) before Next sees them: a method Next
// has no route handler for (TRACE answered 500 text/plain, PROPFIND and the
// like an empty 400, OPTIONS a 204 with a wrong Allow and no request id), and
// a path that does not decode to UTF-8 (Next answered 500 text/plain).
// Everything else goes on to Next and the route handlers.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

export const API_PREFIX = "/api/v1";

/**
 * Each /api/v1 path (OpenAPI template, e.g. "/keys/{id}") → the methods it
 * serves. Generated from the operations in lib/api/v1 (TypeScript, which this
 * file cannot import) by scripts/generate-api-routes.ts; a test fails when it
 * drifts.
 */
export const API_ROUTES = JSON.parse(readFileSync(new URL("./api-routes.json", import.meta.url), "utf8"));

// The methods Next routes to an app/api route file (HEAD runs GET); OPTIONS is
// answered here, since Next's automatic answer lists methods the route only
// refuses and carries no request id.
const ROUTED_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]);

const TEMPLATES = Object.entries(API_ROUTES).map(([template, methods]) => ({
  segments: template.split("/").slice(1),
  allow: methods.join(", "),
}));

/** The same form as lib/api/respond.ts' newRequestId (that file is TypeScript, out of this file's reach). */
export function newRequestId() {
  return "req_" + randomBytes(12).toString("base64url");
}

/** The path's segments after /api/v1, decoded; null when one is not valid percent-encoded UTF-8. */
function decodedSegments(pathname) {
  const segments = pathname.slice(API_PREFIX.length).split("/").slice(1);
  try {
    return segments.map((segment) => decodeURIComponent(segment));
  } catch {
    return null;
  }
}

function matchTemplate(segments) {
  return TEMPLATES.find(
    (t) =>
      t.segments.length === segments.length && t.segments.every((s, i) => (s.startsWith("{") ? segments[i] !== "" : s === segments[i])),
  );
}

function envelope(status, code, description, headers = {}) {
  return {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", "X-Request-Id": newRequestId(), ...headers },
    body: JSON.stringify({ status: false, error_code: code, description }),
  };
}

/**
 * The answer to a request Next cannot route, or null to pass it on.
 * An undecodable path is NOT_FOUND (no resource can have that name), whatever
 * the method; a method Next does not route is METHOD_NOT_ALLOWED with `Allow`
 * on a known path, NOT_FOUND on an unknown one (as the catch-all route answers).
 */
export function unroutedApiAnswer(method, url) {
  // Every API request passes here: a routed method on a path without "%" (nothing to decode, so
  // nothing undecodable) goes on to Next at once, without parsing the URL (measured: ~0.3% of a
  // guarded request's CPU, bench scenario 10). A code point the URL parser encodes itself is valid UTF-8.
  if (ROUTED_METHODS.has(method) && typeof url === "string" && !url.includes("%")) return null;
  let pathname;
  try {
    // As Next reads it: dot segments resolved; an absolute-form target keeps only its path.
    pathname = new URL(url ?? "/", "http://localhost").pathname;
  } catch {
    return null;
  }
  if (pathname !== API_PREFIX && !pathname.startsWith(`${API_PREFIX}/`)) return null;
  const segments = decodedSegments(pathname);
  if (!segments) return envelope(404, "NOT_FOUND", "No endpoint here: the path is not valid percent-encoded UTF-8");
  if (ROUTED_METHODS.has(method)) return null;
  const route = matchTemplate(segments);
  if (!route) return envelope(404, "NOT_FOUND", `No endpoint at ${pathname}`);
  const shown = String(method).slice(0, 32);
  return envelope(405, "METHOD_NOT_ALLOWED", `${shown} is not allowed here; use ${route.allow}`, { Allow: route.allow });
}

/** server.mjs: answers `req` when Next cannot route it; true when it did. */
export function answerUnroutedApiRequest(req, res) {
  const answer = unroutedApiAnswer(req.method, req.url);
  if (!answer) return false;
  res.writeHead(answer.status, { ...answer.headers, "Content-Length": Buffer.byteLength(answer.body) });
  res.end(req.method === "HEAD" ? undefined : answer.body);
  return true;
}
