import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { API_KEY_FILE, API_TEST_KEY_FILE, INSTANCE_A, INSTANCE_B } from "./helpers";

const secretIn = (file: string) => (JSON.parse(readFileSync(file, "utf8")) as { secret: string }).secret;

type Received = { headers: Record<string, string | string[] | undefined>; body: string };
let receiver: Server;
const received: Received[] = [];

test.beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
});
test.afterAll(() => receiver.close());

test("a test-mode send is delivered by the sandbox through the job queue, seen from another instance, with a signed webhook", async ({
  request,
}) => {
  const port = (receiver.address() as AddressInfo).port;
  const headers = { "X-API-Key": secretIn(API_KEY_FILE) };
  const testHeaders = { "X-API-Key": secretIn(API_TEST_KEY_FILE) };
  const secret = "e2e-webhook-secret";

  // Test keys have webhook settings of their own: the sandbox's deliveries go by them, never by the live ones.
  const configure = await request.put(`${INSTANCE_A}/api/v1/user/webhooks`, {
    headers: testHeaders,
    data: { delivery_url: `http://127.0.0.1:${port}/delivery`, signing_secret: secret },
  });
  expect(configure.status(), await configure.text()).toBe(200);

  // A test key creates test keys (a live key could not).
  const created = await request.post(`${INSTANCE_A}/api/v1/keys`, {
    headers: testHeaders,
    data: { name: "e2e sandbox sender", permissions: ["sms.send", "sms.read"] },
  });
  const testKey = (await created.json()) as { secret: string };
  expect(testKey.secret).toMatch(/^sk_test_/);

  const sent = await request.post(`${INSTANCE_A}/api/v1/sms/send`, {
    headers: { "X-API-Key": testKey.secret },
    data: { to: ["+447400123456"], message: "Your code is 123456", sender_id: "Acme" },
  });
  expect(sent.status(), await sent.text()).toBe(200);
  const body = await sent.json();
  expect(body).toMatchObject({ status: true, sandbox: true, summary: { accepted_count: 1, encoding: "GSM-7" } });
  const messageId = body.messages[0].message_id as string;

  await expect(async () => {
    const status = await request.get(`${INSTANCE_B}/api/v1/sms/status/${messageId}`, { headers: { "X-API-Key": testKey.secret } });
    expect((await status.json()).message.status).toBe("DELIVRD");
  }).toPass({ timeout: 30_000 });

  await expect(() => expect(received.some((r) => r.body.includes(messageId) && r.body.includes("DELIVRD"))).toBe(true)).toPass({
    timeout: 30_000,
  });
  const delivery = received.find((r) => r.body.includes(messageId) && r.body.includes("DELIVRD"))!;
  const timestamp = String(delivery.headers["x-webhook-timestamp"]);
  const expected = "sha256=" + createHmac("sha256", secret).update(`${timestamp}.${delivery.body}`).digest("hex");
  expect(delivery.headers["x-webhook-signature"]).toBe(expected);
  expect(JSON.parse(delivery.body)).toMatchObject({ message_id: messageId, status: "DELIVRD", recipient: "+447400123456" });

  // The live balance was never touched by the test key.
  const balance = await request.get(`${INSTANCE_B}/api/v1/user/balance`, { headers });
  expect((await balance.json()).balance).toBe(250);
});
