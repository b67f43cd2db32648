import { expect, test } from "@playwright/test";
import { filterKeys, seriousViolations, storageStateOf, uniqueName } from "./helpers";

test.use({ storageState: storageStateOf("owner") });

test("the keys page, the create dialog and the secret modal have no serious accessibility violations", async ({ page }) => {
  await page.goto("/settings/api-keys");
  await expect(page.getByRole("heading", { name: "API keys" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole("button", { name: "Create API key" }).click();
  const create = page.getByRole("dialog", { name: "Create API key" });
  await expect(create).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await create.getByLabel("Name", { exact: true }).fill(uniqueName("a11y"));
  await create.getByRole("checkbox", { name: "sms.read" }).check();
  await create.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByRole("dialog", { name: "Your new API key" });
  await expect(shown).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test("a key's page, with its activity chart, has no serious accessibility violations (nothing aria-hidden is focusable)", async ({
  page,
}) => {
  await page.goto("/settings/api-keys");
  await page.getByRole("button", { name: "Create API key" }).click();
  const create = page.getByRole("dialog", { name: "Create API key" });
  const name = uniqueName("a11y chart");
  await create.getByLabel("Name", { exact: true }).fill(name);
  await create.getByRole("checkbox", { name: "sms.read" }).check();
  await create.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByRole("dialog", { name: "Your new API key" });
  await shown.getByLabel("I have saved this key").check();
  await shown.getByRole("button", { name: "Done" }).click();
  await filterKeys(page, name);
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("the sign-in page has no serious accessibility violations", async ({ page }) => {
    await page.goto("/sign-in");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
});
