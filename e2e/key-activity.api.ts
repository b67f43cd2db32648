import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { API_KEY_FILE, INSTANCE_A, signIn } from "./helpers";

const admin = () => (JSON.parse(readFileSync(API_KEY_FILE, "utf8")) as { secret: string }).secret;

async function signedInOwner(page: Page) {
  await signIn(page, "owner@acme.test");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

/** The request log is written in batches off the request path: reload until it shows. */
async function reloadUntil(page: Page, check: () => Promise<void>) {
  await expect(async () => {
    await page.reload();
    await check();
  }).toPass({ timeout: 20_000 });
}

test("a key's page shows its last use, its requests by outcome, its error codes and its recent requests", async ({ page, request }) => {
  const created = await request.post(`${INSTANCE_A}/api/v1/keys`, {
    headers: { "X-API-Key": admin() },
    data: { name: `activity ${Date.now()}`, permissions: ["balance.read"] },
  });
  const key = (await created.json()) as { id: string; secret: string };
  expect((await request.get(`${INSTANCE_A}/api/v1/user/balance`, { headers: { "X-API-Key": key.secret } })).status()).toBe(200);
  expect((await request.get(`${INSTANCE_A}/api/v1/user/payments`, { headers: { "X-API-Key": key.secret } })).status()).toBe(403);

  await signedInOwner(page);
  await page.goto(`/settings/api-keys/${key.id}`);
  const requests = page.getByRole("region", { name: "Requests" });
  await reloadUntil(page, async () => {
    await expect(requests.getByText("2 requests: 1 succeeded, 1 refused, 0 failed.")).toBeVisible({ timeout: 1000 });
  });
  await expect(requests.getByRole("cell", { name: "FORBIDDEN", exact: true })).toBeVisible();
  await expect(requests.getByRole("cell", { name: "GET /api/v1/user/balance" })).toBeVisible();
  await expect(requests.getByRole("cell", { name: "GET /api/v1/user/payments" })).toBeVisible();
  await reloadUntil(page, async () => {
    await expect(page.getByText(/from 127\.0\.0\.1/)).toBeVisible({ timeout: 1000 });
  });
  await page.getByRole("link", { name: "Last 7 days" }).click();
  await expect(page).toHaveURL(/period=7d/);
  await expect(requests.getByText("2 requests: 1 succeeded, 1 refused, 0 failed.")).toBeVisible();
});

test("an off-the-record key's requests are counted but not listed", async ({ page, request }) => {
  // Made in the portal: a key that is on the record itself cannot create an off-the-record one through the API.
  const name = `off the record ${Date.now()}`;
  await signedInOwner(page);
  await page.goto("/settings/api-keys");
  await page.getByRole("button", { name: "Create API key" }).click();
  const create = page.getByRole("dialog", { name: "Create API key" });
  await create.getByLabel("Name", { exact: true }).fill(name);
  await create.getByRole("radio", { name: "Restricted" }).check();
  await create.getByRole("checkbox", { name: "balance.read" }).check();
  await create.getByLabel("Off the record").check();
  await create.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByRole("dialog", { name: "Your new API key" });
  const secret = await shown.getByLabel("API key").inputValue();
  await shown.getByLabel("I have saved this key").check();
  await shown.getByRole("button", { name: "Done" }).click();
  const listed = await request.get(`${INSTANCE_A}/api/v1/keys`, { headers: { "X-API-Key": admin() } });
  const key = ((await listed.json()) as { keys: { id: string; name: string; off_the_record: boolean }[] }).keys.find(
    (k) => k.name === name,
  )!;
  expect(key.off_the_record).toBe(true);
  expect((await request.get(`${INSTANCE_A}/api/v1/user/balance`, { headers: { "X-API-Key": secret } })).status()).toBe(200);

  await page.goto(`/settings/api-keys/${key.id}`);
  const requests = page.getByRole("region", { name: "Requests" });
  await reloadUntil(page, async () => {
    await expect(requests.getByText("1 requests: 1 succeeded, 0 refused, 0 failed.")).toBeVisible({ timeout: 1000 });
  });
  await expect(requests.getByText(/This key is off the record/)).toBeVisible();
  await expect(requests.getByRole("cell", { name: "GET /api/v1/user/balance" })).toHaveCount(0);
});

test("the API reference renders the OpenAPI document", async ({ page }) => {
  await signedInOwner(page);
  await page.getByRole("link", { name: "API reference" }).click();
  await expect(page.getByRole("heading", { name: "API reference" })).toBeVisible();
  await expect(page.getByText("/user/balance").first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("button", { name: /Authorize/ })).toBeVisible();
});
