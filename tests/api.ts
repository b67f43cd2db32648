/**
 * Calling /api/v1 route handlers directly, as Next would, against a test
 * database: `callApi(handler, { method, path, key, body, address })`.
 */
import { randomBytes } from "node:crypto";
import { NextRequest } from "next/server";
import { expect } from "vitest";
import { createApiRuntime, installApiRuntime, type ApiRuntime } from "@/lib/api/runtime";
import { signatureOf } from "@/lib/api/guard/authenticate";
import { createKey } from "@/lib/keys/service";
import type { CreateKeyInput } from "@/lib/keys/schemas";
import { CLIENT_ADDRESS_HEADER } from "@/lib/net/client-address";
import { contextFor } from "@/lib/workspaces/context";
import { createTestDatabase, type TestDatabase } from "./db";

export type Handler = (request: NextRequest, segment?: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

export async function startRuntime(t: TestDatabase, options: { redisUrl?: string } = {}): Promise<ApiRuntime> {
  const runtime = await createApiRuntime(t.database, options);
  installApiRuntime(runtime);
  return runtime;
}

export type CallOptions = {
  method?: string;
  path: string;
  key?: string;
  body?: string | object;
  headers?: Record<string, string>;
  /** The client address server.mjs would set (default 127.0.0.1). null = none. */
  address?: string | null;
  params?: Record<string, string>;
  /** Sign with this signing secret (HMAC keys). */
  sign?: { secret: string; timestamp?: number };
};

export async function callApi(
  handler: Handler,
  o: CallOptions,
): Promise<{
  status: number; // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  body: any;
  headers: Headers;
}> {
  const method = o.method ?? "GET";
  const body = o.body === undefined ? undefined : typeof o.body === "string" ? o.body : JSON.stringify(o.body);
  const headers = new Headers(o.headers);
  if (body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
  if (o.key) headers.set("x-api-key", o.key);
  if (o.address !== null) headers.set(CLIENT_ADDRESS_HEADER, o.address ?? "127.0.0.1");
  const url = new URL(o.path, "http://localhost");
  if (o.sign) {
    const timestamp = String(o.sign.timestamp ?? Math.floor(Date.now() / 1000));
    headers.set("x-timestamp", timestamp);
    headers.set("x-signature", signatureOf(o.sign.secret, method, url.pathname, timestamp, body ?? ""));
  }
  const request = new NextRequest(url, { method, headers, body });
  const response = await handler(request, { params: Promise.resolve(o.params ?? {}) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (e.g. CSV)
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/** A key made through the same service the portal uses, by the seeded owner unless `userId` says who. */
export async function makeKey(
  t: TestDatabase,
  input: Partial<CreateKeyInput> = {},
  workspaceId = t.seed.mainWorkspaceId,
  userId = t.seed.userIds.owner,
) {
  const ctx = await contextFor(t.db, userId, workspaceId);
  return createKey(t.db, ctx, {
    name: "test key",
    mode: "live",
    permissions: ["*"],
    hmac: false,
    offTheRecord: false,
    allowedCidrs: [],
    postbackUrl: null,
    expiresAt: null,
    ...input,
  });
}

/**
 * A random address in the IPv6 documentation range. Failed authentications are
 * counted per address (in Redis when set, shared by every test file and run for a
 * minute), so a test that provokes them must not share its address with another.
 */
export function randomAddress(): string {
  const group = () => randomBytes(2).toString("hex");
  return `2001:db8:${group()}:${group()}:${group()}:${group()}:${group()}:${group()}`;
}

/** X-Timestamp and X-Signature as a client computes them: over the path only, never the query string. */
export function signedHeaders(
  signingSecret: string,
  method: string,
  path: string,
  body = "",
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const ts = String(timestamp);
  const pathname = new URL(path, "http://localhost").pathname;
  return { "x-timestamp": ts, "x-signature": signatureOf(signingSecret, method, pathname, ts, body) };
}

/** Runs `call` with `runtime` as this process's runtime (another "instance"), then reinstalls `home`. */
export async function through<T>(runtime: ApiRuntime, home: ApiRuntime, call: () => Promise<T>): Promise<T> {
  installApiRuntime(runtime);
  try {
    return await call();
  } finally {
    installApiRuntime(home);
  }
}

/** The documented error shape: `{status:false, error_code, description}`, the code's status, and a request id. */
export function expectApiError(res: { status: number; body: unknown; headers: Headers }, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ status: false, error_code: code, description: expect.any(String) });
  expect((res.body as { description: string }).description.length).toBeGreaterThan(0);
  expect(res.headers.get("x-request-id")).toMatch(/^req_[\w-]+$/);
}

/** A test file's database and API runtime (Redis when REDIS_URL is set): `({ t, runtime } = await setupApi())`. */
export async function setupApi(): Promise<{ t: TestDatabase; runtime: ApiRuntime }> {
  const t = await createTestDatabase();
  const runtime = await startRuntime(t, { redisUrl: process.env.REDIS_URL });
  return { t, runtime };
}

export async function teardownApi(env: { t?: TestDatabase; runtime?: ApiRuntime }): Promise<void> {
  await env.runtime?.close();
  await env.t?.close();
}
