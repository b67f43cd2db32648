import { expect, test } from "@playwright/test";
import { storageStateOf } from "./helpers";

test.describe("an owner", () => {
  test.use({ storageState: storageStateOf("owner") });

  test("blocks and unblocks a destination country in the workspace settings", async ({ page }) => {
    await page.goto("/settings/workspace");
    await expect(page.getByRole("heading", { name: "Workspace settings" })).toBeVisible();
    await page.getByLabel("Block a country").selectOption({ label: "Germany (DE)" });
    await page.getByRole("button", { name: "Block", exact: true }).click();
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByRole("status")).toHaveText("Saved.");
    await page.reload();
    const blocked = page.getByRole("list", { name: "Blocked countries" });
    await expect(blocked.getByText("Germany (DE)")).toBeVisible();
    await page.getByRole("button", { name: "Unblock Germany" }).click();
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByRole("status")).toHaveText("Saved.");
    await page.reload();
    await expect(page.getByText("No country is blocked")).toBeVisible();
  });
});

test.describe("a developer", () => {
  test.use({ storageState: storageStateOf("developer") });

  test("cannot reach the workspace settings", async ({ page }) => {
    const response = await page.goto("/settings/workspace");
    expect(response?.status()).toBe(404);
  });
});
