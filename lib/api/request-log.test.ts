/**
 * The request log and what the guard leaves behind: one api_requests row per
 * request (none for off-the-record keys), last use written off the hot path, and
 * no plain secret or signing secret in any table, Redis key or log line.
 */
import { eq, inArray, sql } from "drizzle-orm";
import { Redis } from "ioredis";
import pino from "pino";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as balanceRoute from "@/app/api/v1/user/balance/route";
import * as keysRoute from "@/app/api/v1/keys/route";
import * as rollRoute from "@/app/api/v1/keys/[id]/roll/route";
import { apiKeys, apiRequests } from "@/db/schema";
import { generateKey } from "@/lib/keys/format";
import { invalidateKeyLocally } from "@/lib/keys/verify";
import { log } from "@/lib/log";
import { callApi, makeKey, randomAddress, setupApi, signedHeaders, teardownApi } from "@/tests/api";
import type { TestDatabase } from "@/tests/db";
import { operation } from "./operation";
import { RequestLog } from "./request-log";
import type { ApiRuntime } from "./runtime";

let t: TestDatabase;
let runtime: ApiRuntime;

beforeAll(async () => ({ t, runtime } = await setupApi()));
afterAll(() => teardownApi({ t, runtime }));

const balance = (key: string | undefined, address: string | null = randomAddress(), headers?: Record<string, string>) =>
  callApi(balanceRoute.GET, { path: "/api/v1/user/balance", key, address, headers });
const requestId = (res: { headers: Headers }) => res.headers.get("x-request-id")!;

async function logged(requestIds: string[]) {
  await runtime.requestLog.flush();
  return t.db.select().from(apiRequests).where(inArray(apiRequests.requestId, requestIds));
}

/** Rows of the driver's `execute` result (postgres.js returns an array, PGlite an object with `rows`). */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

describe("api_requests", () => {
  it("writes one row per request with key, status, error code, latency, address and the X-Request-Id", async () => {
    const { key, secret } = await makeKey(t, { permissions: ["balance.read"] });
    const address = randomAddress();
    const ok = await balance(secret, address);
    const forbidden = await callApi(keysRoute.GET, { path: "/api/v1/keys?limit=5", key: secret, address });
    const rows = await logged([requestId(ok), requestId(forbidden)]);
    const byId = new Map(rows.map((r) => [r.requestId, r]));
    expect(byId.get(requestId(ok))).toMatchObject({
      keyId: key.id,
      workspaceId: t.seed.mainWorkspaceId,
      mode: "live",
      method: "GET",
      path: "/api/v1/user/balance",
      status: 200,
      errorCode: null,
      address,
    });
    expect(byId.get(requestId(forbidden))).toMatchObject({ keyId: key.id, path: "/api/v1/keys", status: 403, errorCode: "FORBIDDEN" });
    for (const r of rows) {
      expect(r.latencyMs).toBeGreaterThanOrEqual(0);
      expect(r.latencyMs).toBeLessThan(30_000);
    }
  });

  it("logs failed authentications with no key id when the key is unknown, and with it when the key is known", async () => {
    const unknown = await balance(generateKey("live").secret);
    const missing = await balance(undefined);
    const { key, secret } = await makeKey(t, { allowedCidrs: ["10.0.0.0/8"] });
    const refused = await balance(secret, "192.168.1.1");
    const rows = await logged([requestId(unknown), requestId(missing), requestId(refused)]);
    const byId = new Map(rows.map((r) => [r.requestId, r]));
    expect(byId.get(requestId(unknown))).toMatchObject({ keyId: null, workspaceId: null, status: 401, errorCode: "INVALID_API_KEY" });
    expect(byId.get(requestId(missing))).toMatchObject({ keyId: null, workspaceId: null, status: 401, errorCode: "UNAUTHORIZED" });
    expect(byId.get(requestId(refused))).toMatchObject({ keyId: key.id, status: 401, errorCode: "IP_NOT_ALLOWED", address: "192.168.1.1" });
  });

  it("writes no row for an off-the-record key, whether its requests succeed or fail", async () => {
    const { key, secret } = await makeKey(t, { offTheRecord: true, permissions: ["balance.read"] });
    const replies = [await balance(secret), await callApi(keysRoute.GET, { path: "/api/v1/keys", key: secret, address: randomAddress() })];
    expect(replies.map((r) => r.status)).toEqual([200, 403]);
    expect(await logged(replies.map(requestId))).toEqual([]);
    expect(await t.db.select().from(apiRequests).where(eq(apiRequests.keyId, key.id))).toEqual([]);
  });

  it("writes a batch exactly as recorded: text with quotes, backslashes and non-ASCII, nulls, and the time of the request rather than of the flush", async () => {
    const log = new RequestLog(t.db, { intervalMs: 60_000, maxBatch: 1000, maxQueue: 1000, touchEveryMs: 60_000 });
    const odd = `/api/v1/it's "quoted" \\ back\\slash/ünï/💬/${crypto.randomUUID()}`;
    const ids = Array.from({ length: 3 }, () => `req_${crypto.randomUUID()}`);
    log.record({
      keyId: null,
      workspaceId: null,
      mode: null,
      method: "GET",
      path: odd,
      status: 401,
      errorCode: "UNAUTHORIZED",
      latencyMs: 0,
      address: null,
      requestId: ids[0],
    });
    log.record({
      keyId: "key_x",
      workspaceId: t.seed.mainWorkspaceId,
      mode: "test",
      method: "POST",
      path: "/api/v1/sms/send",
      status: 200,
      errorCode: null,
      latencyMs: 12,
      address: "2001:db8::1",
      requestId: ids[1],
    });
    log.record({
      keyId: "key_x",
      workspaceId: t.seed.mainWorkspaceId,
      mode: "live",
      method: "GET",
      path: "/p",
      status: 500,
      errorCode: "INTERNAL_ERROR",
      latencyMs: 3,
      address: "10.0.0.1",
      requestId: ids[2],
    });
    const recordedBy = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await log.flush();
    const rows = await t.db.select().from(apiRequests).where(inArray(apiRequests.requestId, ids));
    const byId = new Map(rows.map((r) => [r.requestId, r]));
    expect(byId.get(ids[0])).toMatchObject({
      keyId: null,
      workspaceId: null,
      mode: null,
      path: odd,
      status: 401,
      errorCode: "UNAUTHORIZED",
      latencyMs: 0,
      address: null,
    });
    expect(byId.get(ids[1])).toMatchObject({
      keyId: "key_x",
      mode: "test",
      method: "POST",
      status: 200,
      errorCode: null,
      latencyMs: 12,
      address: "2001:db8::1",
    });
    expect(byId.get(ids[2])).toMatchObject({ mode: "live", status: 500, errorCode: "INTERNAL_ERROR" });
    for (const r of rows) expect(r.createdAt.getTime()).toBeLessThanOrEqual(recordedBy);
  });

  it("sets last_used_at and last_used_address after a successful request", async () => {
    const { key, secret } = await makeKey(t);
    const address = randomAddress();
    const before = Date.now();
    expect((await balance(secret, address)).status).toBe(200);
    await runtime.requestLog.flush();
    const [row] = await t.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row.lastUsedAddress).toBe(address);
    expect(row.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(row.lastUsedAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it("does not count a refused request as a use of the key", async () => {
    const { key, secret } = await makeKey(t, { allowedCidrs: ["10.0.0.0/8"] });
    await balance(secret, "192.168.1.1");
    await runtime.requestLog.flush();
    const [row] = await t.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row.lastUsedAt).toBeNull();
    expect(row.lastUsedAddress).toBeNull();
  });
});

describe("secrets stay out of storage and logs", () => {
  /** Every row of every table of the public schema, as JSON text. */
  async function everyTableAsText(): Promise<string> {
    const tables = rowsOf<{ table_name: string }>(
      await t.db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`),
    );
    expect(tables.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(["api_keys", "api_requests", "audit_events", "signature_replays"]),
    );
    let text = "";
    for (const { table_name } of tables) {
      const rows = rowsOf<{ row: unknown }>(
        await t.db.execute(sql`select row_to_json(t)::text as row from ${sql.identifier(table_name)} t`),
      );
      text += rows.map((r) => String(r.row)).join("\n");
    }
    return text;
  }

  /** Captures what `log` writes (it is silent under NODE_ENV=test) by pointing it at a collector at trace level. */
  function captureLogs() {
    const lines: string[] = [];
    const logger = log as unknown as Record<symbol, unknown>;
    const stream = logger[pino.symbols.streamSym];
    const level = log.level;
    logger[pino.symbols.streamSym] = { write: (line: string) => void lines.push(line) };
    log.level = "trace";
    return {
      lines,
      restore() {
        logger[pino.symbols.streamSym] = stream;
        log.level = level;
      },
    };
  }

  /** A burst of traffic of every kind, through the real handlers; returns the secrets it used. */
  async function traffic(): Promise<string[]> {
    const plain = await makeKey(t, { name: "plain" });
    const hmac = await makeKey(t, { name: "hmac", hmac: true });
    const secrets = [plain.secret, hmac.secret, hmac.signingSecret!];
    const address = randomAddress();
    await balance(plain.secret, address);
    await balance(plain.secret, address, { "x-signature": "f".repeat(64) });
    const body = JSON.stringify({ name: "child", permissions: ["sms.send"], hmac: true });
    const child = await callApi(keysRoute.POST, {
      method: "POST",
      path: "/api/v1/keys",
      key: hmac.secret,
      body,
      headers: signedHeaders(hmac.signingSecret!, "POST", "/api/v1/keys", body),
      address,
    });
    expect(child.status).toBe(201);
    secrets.push(child.body.secret, child.body.signing_secret);
    const rolled = await callApi(rollRoute.POST, {
      method: "POST",
      path: `/api/v1/keys/${plain.key.id}/roll`,
      params: { id: plain.key.id },
      key: plain.secret,
      body: { expires_in_seconds: 60 },
      address,
    });
    expect(rolled.status).toBe(200);
    secrets.push(rolled.body.secret);
    await balance(plain.secret, address); // the old secret, during its grace
    await balance(rolled.body.secret, address);
    // Refusals: a bad signature, a replay, a typo in the key.
    await balance(hmac.secret, address, signedHeaders(plain.secret, "GET", "/api/v1/user/balance"));
    const headers = signedHeaders(hmac.signingSecret!, "GET", "/api/v1/user/balance");
    await balance(hmac.secret, address, headers);
    await balance(hmac.secret, address, headers);
    await balance(plain.secret.slice(0, -1) + "x", address);
    // Unexpected errors: in a handler, and while authenticating (an undecryptable signing secret).
    const failing = operation(
      {
        method: "GET",
        path: "/test/failing",
        tag: "Test",
        summary: "Fails",
        permission: "balance.read",
        response: z.object({}),
        errors: ["INTERNAL_ERROR"],
      },
      async ({ request }) => {
        throw new Error(`handler failed for ${request.headers.get("x-api-key") ? "a keyed request" : "nobody"}`);
      },
    );
    expect((await callApi(failing.handle, { path: "/api/v1/test/failing", key: rolled.body.secret, address })).status).toBe(500);
    const broken = await makeKey(t, { name: "broken", hmac: true });
    secrets.push(broken.secret, broken.signingSecret!);
    await t.db.update(apiKeys).set({ signingSecretEncrypted: "v1.x.y.z" }).where(eq(apiKeys.id, broken.key.id));
    invalidateKeyLocally(broken.key.id);
    expect((await balance(broken.secret, address, signedHeaders(broken.signingSecret!, "GET", "/api/v1/user/balance"))).status).toBe(500);
    await runtime.requestLog.flush();
    return secrets;
  }

  it("keeps every plain secret and signing secret out of every table, Redis and the logs after a burst of traffic", async () => {
    const logs = captureLogs();
    let secrets: string[];
    try {
      secrets = await traffic();
    } finally {
      logs.restore();
    }
    expect(secrets.length).toBeGreaterThanOrEqual(7);
    for (const s of secrets) expect(s).toMatch(/^(sk_(prod|test)|sksig)_/);

    const stored = await everyTableAsText();
    expect(stored).toContain('"error_code":"INVALID_SIGNATURE"'); // the traffic was recorded
    for (const s of secrets) expect(stored).not.toContain(s);

    // Both unexpected errors were logged, with their request ids, and no log line holds a secret.
    expect(logs.lines.some((l) => l.includes("api handler failed") && l.includes('"requestId":"req_'))).toBe(true);
    expect(logs.lines.some((l) => l.includes("api guard failed") && l.includes('"requestId":"req_'))).toBe(true);
    for (const line of logs.lines) for (const s of secrets) expect(line).not.toContain(s);

    if (process.env.REDIS_URL) {
      const redis = new Redis(process.env.REDIS_URL);
      try {
        const keys = await redis.keys("*");
        const values = await Promise.all(keys.map(async (k) => ((await redis.type(k)) === "string" ? await redis.get(k) : "")));
        const text = keys.join("\n") + values.join("\n");
        for (const s of secrets) expect(text).not.toContain(s);
      } finally {
        redis.disconnect();
      }
    }
  });

  it("redacts secrets should one ever be passed to the logger", () => {
    const logs = captureLogs();
    const secret = generateKey("live").secret;
    try {
      log.info(
        { secret, signingSecret: secret, signing_secret: secret, headers: { "x-api-key": secret, "x-signature": secret }, key: { secret } },
        "oops",
      );
    } finally {
      logs.restore();
    }
    expect(logs.lines).toHaveLength(1);
    expect(logs.lines[0]).not.toContain(secret);
    expect(logs.lines[0]).toContain("[redacted]");
  });
});
