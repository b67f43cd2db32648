import { expect, test } from "@playwright/test";
import { seriousViolations, storageStateOf } from "./helpers";

test.describe("an owner", () => {
  test.use({ storageState: storageStateOf("owner") });
  test("sees the statistics with the Period picker and the Daily and By country tables; axe clean", async ({ page }) => {
    await page.goto("/statistics?period=30d");
    await expect(page.getByRole("heading", { name: "Statistics", level: 1 })).toBeVisible();
    await expect(page.getByLabel("Period")).toHaveValue("30d");
    await expect(page.getByRole("table", { name: "Daily", exact: true })).toBeVisible();
    await expect(page.getByRole("table", { name: "By country", exact: true })).toBeVisible();
    await expect(page.getByRole("table", { name: "Daily", exact: true }).getByRole("row")).toHaveCount(31);
    expect(await seriousViolations(page)).toEqual([]);
  });
});

test.describe("a viewer", () => {
  test.use({ storageState: storageStateOf("viewer") });
  test("sees the statistics", async ({ page }) => {
    await page.goto("/statistics");
    await expect(page.getByRole("heading", { name: "Statistics", level: 1 })).toBeVisible();
  });
});

test.describe("a billing member", () => {
  test.use({ storageState: storageStateOf("billing") });
  test("cannot open the statistics: not found, and no link", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Statistics" })).toHaveCount(0);
    const response = await page.goto("/statistics");
    expect(response?.status()).toBe(404);
  });
});
