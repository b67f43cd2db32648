import { writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test as setup } from "@playwright/test";
import { API_KEY_FILE, signIn } from "./helpers";

// The API suite's key: created the way a customer would, in the portal of instance A.
setup("an owner creates a full-access key for the API suite", async ({ page }) => {
  await signIn(page, "owner@acme.test");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.goto("/settings/api-keys");
  await page.getByRole("button", { name: "Create API key" }).click();
  const create = page.getByRole("dialog", { name: "Create API key" });
  await create.getByLabel("Name", { exact: true }).fill("E2E API suite");
  await create.getByRole("radio", { name: "Full access" }).check();
  await create.getByRole("button", { name: "Create key" }).click();
  const secret = await page.getByRole("dialog", { name: "Your new API key" }).getByLabel("API key").inputValue();
  expect(secret).toMatch(/^sk_prod_/);
  mkdirSync(path.dirname(API_KEY_FILE), { recursive: true });
  writeFileSync(API_KEY_FILE, JSON.stringify({ secret }));
});
