import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { callApi, makeKey, startRuntime } from "@/tests/api";
import * as balance from "@/app/api/v1/user/balance/route";
import type { ApiRuntime } from "./runtime";

let t: TestDatabase;
let runtime: ApiRuntime;
beforeAll(async () => {
  t = await createTestDatabase();
  runtime = await startRuntime(t);
});
afterAll(async () => {
  await runtime.close();
  await t.close();
});

it("answers the balance for a valid key", async () => {
  const { secret } = await makeKey(t);
  const res = await callApi(balance.GET, { path: "/api/v1/user/balance", key: secret });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ balance: 250, currency: "EUR" });
  expect(res.headers.get("x-request-id")).toMatch(/^req_/);
  const missing = await callApi(balance.GET, { path: "/api/v1/user/balance" });
  expect(missing.body.error_code).toBe("UNAUTHORIZED");
  const post = await callApi(balance.POST, { method: "POST", path: "/api/v1/user/balance", key: secret });
  expect(post.status).toBe(405);
});
