import { expect, test } from "@playwright/test";
import { filterKeys, storageStateOf, uniqueName } from "./helpers";

/** Every page of the portal an Owner opens (an Owner sees them all), a message's page added once one exists. */
const PAGES = [
  "/",
  "/messages",
  "/statistics",
  "/webhooks",
  "/billing",
  "/settings/api-keys",
  "/team",
  "/audit",
  "/account",
  "/settings/workspace",
  "/api-reference",
];

test.use({ storageState: storageStateOf("owner"), viewport: { width: 390, height: 844 } });

test("no page scrolls horizontally on a 390 px wide phone (wide tables scroll inside themselves)", async ({ page }) => {
  // A message of our own, for its page (and so the tables and charts have rows).
  await page.goto("/settings/api-keys");
  await page.getByRole("button", { name: "Create API key" }).click();
  const create = page.getByRole("dialog", { name: "Create API key" });
  const keyName = uniqueName("E2E layout");
  await create.getByLabel("Name", { exact: true }).fill(keyName);
  await create.getByLabel("Test mode").check();
  await create.getByRole("radio", { name: "Full access" }).check();
  await create.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByRole("dialog", { name: "Your new API key" });
  const secret = await shown.getByLabel("API key").inputValue();
  await shown.getByLabel("I have saved this key").check();
  await shown.getByRole("button", { name: "Done" }).click();
  // The key's own page (its activity and audit tables), by its link in the list.
  await filterKeys(page, keyName);
  await page.getByRole("link", { name: keyName }).click();
  await expect(page.getByRole("heading", { name: keyName, level: 1 })).toBeVisible();
  const keyPath = new URL(page.url()).pathname;
  const sent = await page.request.post("/api/v1/sms/send", {
    headers: { "X-API-Key": secret },
    data: { to: ["+447700900123"], message: "E2E layout at 390 px", sender_id: "Acme" },
  });
  expect(sent.status()).toBe(200);
  const messageId = (await sent.json()).messages[0].message_id as string;
  // Test data on: the traffic pages show the sandbox's traffic, this message among it.
  await page.goto("/");
  await page.getByRole("switch", { name: "Test data" }).click();
  await expect(page.getByRole("switch", { name: "Test data" })).toBeChecked();

  const wide: string[] = [];
  for (const path of [...PAGES, keyPath, `/messages/${encodeURIComponent(messageId)}`]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
    const width = await page.evaluate(() => document.scrollingElement!.scrollWidth);
    if (width > 390) wide.push(`${path}: ${width} px`);
  }
  expect(wide).toEqual([]);
});
