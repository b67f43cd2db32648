import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, seriousViolations, storageStateOf, uniqueName } from "./helpers";

test.describe("the audit log, as the Owner", () => {
  test.use({ storageState: storageStateOf("owner") });

  test("shows the organization's events, filters them by actor and action, and exports them as CSV without a secret", async ({ page }) => {
    test.setTimeout(120_000);
    // Something to find: a key made now, whose secret the log must never hold.
    const name = uniqueName("Audited");
    await page.goto("/settings/api-keys");
    await page.getByRole("button", { name: "Create API key" }).click();
    const create = page.getByRole("dialog", { name: "Create API key" });
    await create.getByLabel("Name", { exact: true }).fill(name);
    await create.getByLabel("Test mode").check();
    await create.getByLabel("Require HMAC signature").check();
    await create.getByRole("radio", { name: "Full access" }).check();
    await create.getByRole("button", { name: "Create key" }).click();
    const shown = page.getByRole("dialog", { name: "Your new API key" });
    const secret = await shown.getByLabel("API key").inputValue();
    const signingSecret = await shown.getByLabel("Signing secret").inputValue();
    expect(secret).toMatch(/^sk_test_/);
    await shown.getByLabel("I have saved this key").check();
    await shown.getByRole("button", { name: "Done" }).click();

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
    await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
    const table = page.getByRole("table", { name: "Audit events, newest first" });
    const newest = table.getByRole("row").nth(1);
    await expect(newest).toContainText("Key created");
    await expect(newest).toContainText(name);
    await expect(newest).toContainText("Olivia Owner");
    // The sign-ins of the suite's setup are there too (organization-level events).
    expect(await seriousViolations(page)).toEqual([]);

    // Filter by actor (the Admin signed in during setup) and by action.
    await page.getByLabel("Actor").selectOption({ label: "Adam Admin (admin@acme.test)" });
    await page.getByLabel("Action").selectOption({ label: "Signed in" });
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/actor=user%3A\d+.*action=auth.sign_in/);
    const rows = table.getByRole("row");
    await expect(rows.nth(1)).toContainText("Signed in");
    for (const row of await rows.all().then((all) => all.slice(1))) {
      await expect(row).toContainText("Adam Admin");
      await expect(row).not.toContainText("Olivia Owner");
    }
    await page.getByLabel("Action").selectOption({ label: "Key created" });
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(table).toContainText("No events match these filters.");

    // The changes of an event open in place.
    await page.goto("/audit?action=key.create");
    const first = table.getByRole("row").nth(1);
    // (The row carries the disclosure twice: in its own column from lg up, under the action below; one is shown.)
    await first.locator("summary:visible").click();
    await expect(first.getByRole("table", { name: "Changed fields" })).toContainText("Name");
    expect(await seriousViolations(page)).toEqual([]);

    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `test-results/audit-${width}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    // Export CSV: the same filters, a header, the key's event, and no secret.
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const file = await (await download).path();
    const csv = readFileSync(file, "utf8");
    expect(csv.split("\r\n")[0]).toBe(
      "time,actor_type,actor,actor_detail,action,action_label,target_type,target_id,target,workspace,changes,address,event_id",
    );
    expect(csv).toContain(name);
    expect(csv).not.toContain("auth.sign_in");
    for (const s of [secret, signingSecret, DEMO_PASSWORD]) expect(csv).not.toContain(s);
    // The API suite's key secrets, where that suite ran, are absent too.
    for (const f of [".data/e2e-auth/api-key.json", ".data/e2e-auth/api-test-key.json"]) {
      try {
        expect(csv).not.toContain(JSON.parse(readFileSync(f, "utf8")).secret);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    }
  });
});

test.describe("the audit log, as a Developer", () => {
  test.use({ storageState: storageStateOf("developer") });

  test("is not found, and not in the navigation; its export neither", async ({ page }) => {
    const response = await page.goto("/audit");
    expect(response?.status()).toBe(404);
    await page.goto("/");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" })).toHaveCount(0);
    const exported = await page.request.get("/audit/export");
    expect(exported.status()).toBe(404);
    expect(await exported.text()).not.toContain("time,actor_type");
  });
});
