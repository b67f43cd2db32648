import { expect, test, type Page } from "@playwright/test";
import { seriousViolations } from "./helpers";

/** A fresh organization of its own: archiving never touches the demo workspaces other suites use. */
async function signUpOwner(page: Page) {
  const tag = Date.now().toString(36);
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Wren Castellan");
  await page.getByLabel("Email").fill(`wren-${tag}@fabrikam.test`);
  await page.getByLabel("Password").fill("copper kettle orbit lantern");
  await page.getByLabel("Organization").fill(`Fabrikam ${tag}`);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("link", { name: "Wren Castellan (Owner)" })).toBeVisible();
}

test("an Owner creates, renames and archives a workspace; the archived one stays readable in the switcher", async ({ page }) => {
  await signUpOwner(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workspace settings" }).click();
  await expect(page.getByRole("heading", { name: "Workspaces" })).toBeVisible();
  const table = page.getByRole("table", { name: "Workspaces" });
  await expect(table.getByRole("row")).toHaveCount(2); // the header and Main
  await expect(page.getByRole("button", { name: "Archive Main" })).toHaveCount(0);

  await page.getByLabel("New workspace name").fill("Marketing");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(table.getByRole("cell", { name: "Marketing", exact: true })).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Workspace", exact: true }).locator("option")).toHaveText(["Main (main)", "Marketing"]);

  // Names are unique per organization, whatever their case: answered by the field.
  await page.getByLabel("New workspace name").fill("MARKETING");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page.getByText("A workspace of your organization already has this name")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole("button", { name: "Rename Marketing" }).click();
  const rename = page.getByRole("dialog", { name: "Rename Marketing" });
  await rename.getByLabel("Name").fill("Campaigns");
  await rename.getByRole("button", { name: "Save name" }).click();
  await expect(table.getByRole("cell", { name: "Campaigns", exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Archive Campaigns" }).click();
  const confirm = page.getByRole("dialog", { name: "Archive Campaigns?" });
  await expect(confirm).toContainText("Its API keys stop working at once");
  expect(await seriousViolations(page)).toEqual([]);
  await confirm.getByRole("button", { name: "Archive workspace" }).click();
  await expect(table.getByRole("row", { name: /Campaigns/ })).toContainText("Archived");
  await expect(page.getByRole("button", { name: "Rename Campaigns" })).toHaveCount(0);

  // The switcher marks it; opened, it is read-only and says so, and the organization's settings still work.
  await expect(page.getByRole("combobox", { name: "Workspace", exact: true }).locator("option")).toHaveText([
    "Main (main)",
    "Campaigns (archived)",
  ]);
  await page.getByRole("combobox", { name: "Workspace", exact: true }).selectOption({ label: "Campaigns (archived)" });
  await expect(page.getByText("The Campaigns workspace is archived")).toBeVisible();
  await expect(page.getByRole("button", { name: "Save settings" })).toHaveCount(0);
  await page.getByLabel("New workspace name").fill("Support");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(table.getByRole("cell", { name: "Support", exact: true })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `test-results/workspaces-${width}.png`, fullPage: true });
  }
});
