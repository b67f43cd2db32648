import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { API_KEY_FILE, API_TEST_KEY_FILE, INSTANCE_A, INSTANCE_B } from "./helpers";

// Two portal instances (A and B) on one Postgres: what one instance changes, the other enforces.
const admin = () => (JSON.parse(readFileSync(API_KEY_FILE, "utf8")) as { secret: string }).secret;

async function createKey(request: APIRequestContext, body: object) {
  const res = await request.post(`${INSTANCE_A}/api/v1/keys`, { headers: { "X-API-Key": admin() }, data: body });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: string; secret: string; signing_secret?: string };
}

test("a key revoked through instance A is refused by instance B within 1 s", async ({ request }) => {
  const key = await createKey(request, { name: "revoke across instances", permissions: ["balance.read"] });
  const onB = () => request.get(`${INSTANCE_B}/api/v1/user/balance`, { headers: { "X-API-Key": key.secret } });
  expect((await onB()).status()).toBe(200); // B has it cached now

  const revoke = await request.delete(`${INSTANCE_A}/api/v1/keys/${key.id}`, { headers: { "X-API-Key": admin() } });
  expect(revoke.status()).toBe(200);
  const revokedAt = Date.now();
  let refused = false;
  while (Date.now() - revokedAt < 1000) {
    const res = await onB();
    if (res.status() === 401) {
      expect((await res.json()).error_code).toBe("API_KEY_INACTIVE");
      refused = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  expect(refused, "instance B still accepted the key 1 s after the revoke").toBe(true);
});

test("a signed request replayed through the other instance is refused", async ({ request }) => {
  const key = await createKey(request, { name: "replay across instances", permissions: ["balance.read"], hmac: true });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac("sha256", key.signing_secret!).update(`GET|/api/v1/user/balance|${timestamp}|`).digest("hex");
  const headers = { "X-API-Key": key.secret, "X-Timestamp": timestamp, "X-Signature": signature };
  expect((await request.get(`${INSTANCE_A}/api/v1/user/balance`, { headers })).status()).toBe(200);
  const replay = await request.get(`${INSTANCE_B}/api/v1/user/balance`, { headers });
  expect(replay.status()).toBe(401);
  expect(await replay.json()).toMatchObject({ error_code: "INVALID_SIGNATURE", description: expect.stringMatching(/replay/) });
});

test("a forged X-Forwarded-For never passes an allowlist: the socket address decides", async ({ request }) => {
  const outside = await createKey(request, { name: "allowlist 10/8", permissions: ["balance.read"], allowed_cidrs: ["10.0.0.0/8"] });
  const forged = await request.get(`${INSTANCE_A}/api/v1/user/balance`, {
    headers: { "X-API-Key": outside.secret, "X-Forwarded-For": "10.1.2.3", "X-Portal-Client-Address": "10.1.2.3" },
  });
  expect(forged.status()).toBe(401);
  expect((await forged.json()).error_code).toBe("IP_NOT_ALLOWED");

  const loopback = await createKey(request, {
    name: "allowlist loopback",
    permissions: ["balance.read"],
    allowed_cidrs: ["127.0.0.0/8", "::1/128"],
  });
  const allowed = await request.get(`${INSTANCE_B}/api/v1/user/balance`, { headers: { "X-API-Key": loopback.secret } });
  expect(allowed.status()).toBe(200);
});

test("a key's daily spend cap holds exactly across instances: 50 simultaneous sends through A and B, a cap for 20, accept 20", async ({
  request,
}) => {
  // A test-mode key: its cap counts what its sends would cost, and the sandbox bills nothing.
  const sandboxAdmin = (JSON.parse(readFileSync(API_TEST_KEY_FILE, "utf8")) as { secret: string }).secret;
  const pricing = (await (await request.get(`${INSTANCE_A}/api/v1/user/pricing`, { headers: { "X-API-Key": sandboxAdmin } })).json()) as {
    country: string;
    rate: number;
  }[];
  // The send bills a country's highest rate; exact units of 1e-5.
  const gbUnits = Math.max(...pricing.filter((p) => p.country === "GB").map((p) => Math.round(p.rate * 100_000)));
  const create = await request.post(`${INSTANCE_A}/api/v1/keys`, {
    headers: { "X-API-Key": sandboxAdmin },
    data: { name: "capped across instances", permissions: ["sms.send"], daily_spend_cap: (20 * gbUnits) / 100_000 },
  });
  expect(create.status(), await create.text()).toBe(201);
  const key = (await create.json()) as { secret: string };

  const results = await Promise.all(
    Array.from({ length: 50 }, async (_, i) => {
      const res = await request.post(`${i % 2 ? INSTANCE_B : INSTANCE_A}/api/v1/sms/send`, {
        headers: { "X-API-Key": key.secret },
        data: { to: [`+447400${String(900_000 + i)}`], message: "Capped", sender_id: "Acme" },
      });
      return { status: res.status(), body: (await res.json()) as { error_code?: string; spent_today?: number; daily_spend_cap?: number } };
    }),
  );
  expect(results.filter((r) => r.status === 200)).toHaveLength(20);
  const refused = results.filter((r) => r.status === 402);
  expect(refused).toHaveLength(30);
  for (const r of refused) {
    expect(r.body.error_code).toBe("KEY_SPEND_LIMIT");
    expect(Math.round(r.body.daily_spend_cap! * 100_000)).toBe(20 * gbUnits);
  }
});

test("unknown paths and wrong methods answer JSON with a request id, never HTML", async ({ request }) => {
  const unknown = await request.get(`${INSTANCE_A}/api/v1/no/such/thing`);
  expect(unknown.status()).toBe(404);
  expect(await unknown.json()).toMatchObject({ status: false, error_code: "NOT_FOUND" });
  expect(unknown.headers()["x-request-id"]).toMatch(/^req_/);
  const wrong = await request.put(`${INSTANCE_B}/api/v1/user/balance`, { headers: { "X-API-Key": admin() } });
  expect(wrong.status()).toBe(405);
  expect(await wrong.json()).toMatchObject({ error_code: "METHOD_NOT_ALLOWED" });
});

/** A raw request through node:http, which sends any method token and the target exactly as written. */
function raw(base: string, method: string, target: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const req = httpRequest({ hostname, port, method, path: target }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

test("methods Next does not route, and paths that do not decode, answer the JSON envelope through server.mjs", async () => {
  const cases = [
    { method: "TRACE", target: "/api/v1/keys", status: 405, code: "METHOD_NOT_ALLOWED", allow: "GET, POST" },
    { method: "PROPFIND", target: "/api/v1/keys/key_x", status: 405, code: "METHOD_NOT_ALLOWED", allow: "GET, PATCH, DELETE" },
    { method: "OPTIONS", target: "/api/v1/sms/send", status: 405, code: "METHOD_NOT_ALLOWED", allow: "POST" },
    { method: "GET", target: "/api/v1/keys/%zz", status: 404, code: "NOT_FOUND" },
    { method: "GET", target: "/api/v1/sms/status/%ED%A0%80", status: 404, code: "NOT_FOUND" },
    { method: "POST", target: "/api/v1/%zz", status: 404, code: "NOT_FOUND" },
  ];
  for (const c of cases) {
    const res = await raw(INSTANCE_A, c.method, c.target);
    expect(res.status, `${c.method} ${c.target}`).toBe(c.status);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.headers["x-request-id"]).toMatch(/^req_/);
    expect(JSON.parse(res.body)).toMatchObject({ status: false, error_code: c.code, description: expect.any(String) });
    if (c.allow) expect(res.headers.allow).toBe(c.allow);
  }
});
