/**
 * A raw HTTP request to /api/v1, answered in process as the portal answers it
 * over the network: first what server.mjs answers itself
 * (lib/server/unrouted-api.mjs: unrouted methods, undecodable paths), then the
 * route file under app/api/v1 that Next.js picks, called as Next calls it
 * (decoded path parameters; HEAD runs GET; a method the file does not export
 * gets Next's own empty 405).
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { API_PREFIX, unroutedApiAnswer } from "@/lib/server/unrouted-api.mjs";

type Segment = { params: Promise<Record<string, string | string[]>> };
type RouteModule = Record<string, ((request: NextRequest, segment: Segment) => Promise<Response>) | undefined>;

/** A request as a client sends it: `url` is the request target as written (it may hold malformed escapes). */
export type RawRequest = {
  method: string;
  url: string;
  headers: [string, string][];
  body?: string | Uint8Array;
};

/** Where a request lands: the route file's template (OpenAPI form, e.g. "/keys/{id}"), or null for the catch-all 404. */
export type Routed = { template: string | null; answeredBy: "server.mjs" | "route" | "next" };

type Route = { template: string; segments: string[]; module: RouteModule };
let routes: Route[] | undefined;
let catchAll: RouteModule | undefined;

/** Every route file under app/api/v1, imported once. */
async function loadRoutes(): Promise<Route[]> {
  if (routes) return routes;
  const root = path.resolve("app/api/v1");
  const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith("route.ts"));
  const loaded: Route[] = [];
  for (const file of files) {
    const routeModule = (await import(path.join(root, file))) as RouteModule;
    const dirs = path.dirname(file).split(path.sep);
    if (dirs[0] === "[...path]") {
      catchAll = routeModule;
      continue;
    }
    const segments = dirs.map((s) => s.replace(/^\[(\w+)\]$/, "{$1}"));
    loaded.push({ template: "/" + segments.join("/"), segments, module: routeModule });
  }
  // Static segments before dynamic ones, as Next matches them.
  routes = loaded.sort((a, b) => a.segments.filter((s) => s.startsWith("{")).length - b.segments.filter((s) => s.startsWith("{")).length);
  return routes;
}

/** The route a path goes to, with its decoded parameters. */
export async function routeOf(pathname: string): Promise<{ route: Route | null; params: Record<string, string | string[]> }> {
  const raw = pathname.slice(API_PREFIX.length).split("/").slice(1);
  const decoded = raw.map((s) => decodeURIComponent(s));
  for (const route of await loadRoutes()) {
    if (route.segments.length !== decoded.length) continue;
    const params: Record<string, string> = {};
    const matches = route.segments.every((s, i) => {
      if (!s.startsWith("{")) return s === decoded[i];
      params[s.slice(1, -1)] = decoded[i];
      return decoded[i] !== "";
    });
    if (matches) return { route, params };
  }
  return { route: null, params: { path: decoded } };
}

/** Whether the target, read as Next reads it (dot segments resolved), is under /api/v1: "/api/v1/keys/../.." is not. */
export function isApiTarget(url: string): boolean {
  const pathname = new URL(url, "http://localhost").pathname;
  return pathname === API_PREFIX || pathname.startsWith(`${API_PREFIX}/`);
}

export async function dispatch(request: RawRequest): Promise<{ response: Response; routed: Routed }> {
  await loadRoutes();
  const early = unroutedApiAnswer(request.method, request.url);
  const pathname = new URL(request.url, "http://localhost").pathname;
  const { route, params } = early ? { route: null, params: {} } : await routeOf(pathname);
  const template = early ? templateOf(pathname) : (route?.template ?? null);
  if (early) {
    const body = request.method === "HEAD" ? null : early.body;
    return {
      response: new Response(body, { status: early.status, headers: early.headers }),
      routed: { template, answeredBy: "server.mjs" },
    };
  }
  const routeModule = route?.module ?? catchAll!;
  const handler = routeModule[request.method] ?? (request.method === "HEAD" ? routeModule.GET : undefined);
  if (!handler) {
    // Next's answer for a method the route file does not export: 405, no body.
    const allow = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"].filter(
      (m) => routeModule[m] || (m === "HEAD" && routeModule.GET),
    );
    return {
      response: new Response(null, { status: 405, headers: { Allow: allow.join(", ") } }),
      routed: { template, answeredBy: "next" },
    };
  }
  const withBody = request.method !== "GET" && request.method !== "HEAD" && request.body !== undefined;
  const next = new NextRequest(new URL(request.url, "http://localhost"), {
    method: request.method,
    headers: request.headers,
    body: withBody ? (request.body as BodyInit) : undefined,
  });
  const response = await handler(next, { params: Promise.resolve(params) });
  return { response, routed: { template, answeredBy: "route" } };
}

/** The template a decodable path under /api/v1 matches, for reporting; null when none. */
function templateOf(pathname: string): string | null {
  try {
    const decoded = pathname.slice(API_PREFIX.length).split("/").slice(1).map(decodeURIComponent);
    const route = routes?.find(
      (r) => r.segments.length === decoded.length && r.segments.every((s, i) => (s.startsWith("{") ? decoded[i] !== "" : s === decoded[i])),
    );
    return route?.template ?? null;
  } catch {
    return null;
  }
}
