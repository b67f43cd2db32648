import { writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test as setup, type Page } from "@playwright/test";
import { API_KEY_FILE, API_TEST_KEY_FILE, signIn } from "./helpers";

async function createFullAccessKey(page: Page, name: string, testMode: boolean): Promise<string> {
  await signIn(page, "owner@acme.test");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.goto("/settings/api-keys");
  await page.getByRole("button", { name: "Create API key" }).click();
  const create = page.getByRole("dialog", { name: "Create API key" });
  await create.getByLabel("Name", { exact: true }).fill(name);
  if (testMode) await create.getByLabel("Test mode").check();
  await create.getByRole("radio", { name: "Full access" }).check();
  await create.getByRole("button", { name: "Create key" }).click();
  return page.getByRole("dialog", { name: "Your new API key" }).getByLabel("API key").inputValue();
}

function save(file: string, secret: string) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ secret }));
}

// The API suite's keys: created the way a customer would, in the portal of instance A.
setup("an owner creates a full-access key for the API suite", async ({ page }) => {
  const secret = await createFullAccessKey(page, "E2E API suite", false);
  expect(secret).toMatch(/^sk_prod_/);
  save(API_KEY_FILE, secret);
});

setup("an owner creates a full-access test-mode key for the API suite", async ({ page }) => {
  const secret = await createFullAccessKey(page, "E2E API suite (test mode)", true);
  expect(secret).toMatch(/^sk_test_/);
  save(API_TEST_KEY_FILE, secret);
});
