import { expect, test } from "@playwright/test";
import { filterKeys, storageStateOf, uniqueName } from "./helpers";

test.use({ storageState: storageStateOf("owner") });

test("an owner creates, edits, disables, enables, rolls and revokes a restricted HMAC test key", async ({ page }) => {
  const name = uniqueName("E2E signing key");
  await page.goto("/settings/api-keys");
  await expect(page.getByRole("heading", { name: "API keys" })).toBeVisible();

  // Create: restricted, sms.send + sms.read, test mode, HMAC.
  await page.getByRole("button", { name: "Create API key" }).click();
  const create = page.getByRole("dialog", { name: "Create API key" });
  await create.getByLabel("Name", { exact: true }).fill(name);
  await create.getByLabel("Test mode").check();
  await create.getByRole("radio", { name: "Restricted" }).check();
  await create.getByRole("checkbox", { name: "sms.send" }).check();
  await create.getByRole("checkbox", { name: "sms.read" }).check();
  await expect(create.getByText("sms.send, sms.read", { exact: true })).toBeVisible();
  await create.getByLabel("Require HMAC signature").check();
  await create.getByRole("button", { name: "Create key" }).click();

  // The show-once modal cannot be dismissed before the gate is ticked.
  const shown = page.getByRole("dialog", { name: "Your new API key" });
  await expect(shown).toBeVisible();
  const secret = await shown.getByLabel("API key").inputValue();
  expect(secret).toMatch(/^sk_test_[0-9A-Za-z]{38}$/);
  await expect(shown.getByLabel("Signing secret")).toHaveValue(/^sksig_[0-9A-Za-z]{38}$/);
  await expect(shown.getByRole("button", { name: "Copy", exact: true })).toBeVisible();
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");
  await expect(shown).toBeVisible();
  await page.mouse.click(5, 5);
  await expect(shown).toBeVisible();
  await expect(shown.getByRole("button", { name: "Done" })).toBeDisabled();
  await shown.getByLabel("I have saved this key").check();
  await shown.getByRole("button", { name: "Done" }).click();
  await expect(shown).toBeHidden();

  // The table shows the masked key and the Test badge; never the secret.
  await filterKeys(page, name);
  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(row).toHaveCount(1);
  await expect(row.getByText(`${secret.slice(0, 12)}…${secret.slice(-4)}`)).toBeVisible();
  await expect(row.getByText("Test", { exact: true })).toBeVisible();
  await expect(row.getByText("Restricted (2)")).toBeVisible();
  await expect(row.getByText("Active")).toBeVisible();
  await expect(page.getByText(secret)).toHaveCount(0);

  // Edit its name.
  const renamed = `${name} renamed`;
  await page.getByRole("button", { name: `Actions for ${name}` }).click();
  await page.getByRole("menuitem", { name: "Edit" }).click();
  const edit = page.getByRole("dialog", { name: `Edit ${name}` });
  await expect(edit.getByLabel("Test mode")).toBeDisabled();
  await edit.getByLabel("Name", { exact: true }).fill(renamed);
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit).toBeHidden();
  const renamedRow = page.getByRole("row", { name: new RegExp(renamed) });
  await expect(renamedRow).toHaveCount(1);

  // Disable, then enable.
  await page.getByRole("button", { name: `Actions for ${renamed}` }).click();
  await page.getByRole("menuitem", { name: "Disable" }).click();
  await expect(renamedRow.getByText("Disabled")).toBeVisible();
  await page.getByRole("button", { name: `Actions for ${renamed}` }).click();
  await page.getByRole("menuitem", { name: "Enable" }).click();
  await expect(renamedRow.getByText("Active")).toBeVisible();

  // Roll with a one-hour grace period: a new secret, shown once.
  await page.getByRole("button", { name: `Actions for ${renamed}` }).click();
  await page.getByRole("menuitem", { name: "Roll key" }).click();
  const roll = page.getByRole("dialog", { name: `Roll ${renamed}` });
  await roll.getByRole("radio", { name: "1 hour" }).check();
  await roll.getByRole("button", { name: "Roll key" }).click();
  const rolled = page.getByRole("dialog", { name: "Your rolled API key" });
  const newSecret = await rolled.getByLabel("API key").inputValue();
  expect(newSecret).toMatch(/^sk_test_/);
  expect(newSecret).not.toBe(secret);
  await expect(rolled.getByText(/previous secret keeps working until/)).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(rolled).toBeVisible();
  await rolled.getByLabel("I have saved this key").check();
  await rolled.getByRole("button", { name: "Done" }).click();
  await expect(renamedRow.getByText(`${newSecret.slice(0, 12)}…${newSecret.slice(-4)}`)).toBeVisible();

  // Revoke, confirmed: the key stays listed as Revoked, with no actions left.
  await page.getByRole("button", { name: `Actions for ${renamed}` }).click();
  await page.getByRole("menuitem", { name: "Revoke" }).click();
  await page
    .getByRole("dialog", { name: `Revoke ${renamed}?` })
    .getByRole("button", { name: "Revoke key" })
    .click();
  await expect(renamedRow.getByText("Revoked")).toBeVisible();
  await expect(page.getByRole("button", { name: `Actions for ${renamed}` })).toHaveCount(0);

  // Its own page shows its settings and the whole audit history.
  await renamedRow.getByRole("link", { name: renamed }).click();
  await expect(page.getByRole("heading", { name: renamed })).toBeVisible();
  const history = page.getByRole("region", { name: "Audit history" });
  for (const action of ["Created", "Edited", "Disabled", "Enabled", "Rolled", "Revoked"]) {
    await expect(history.getByRole("cell", { name: action, exact: true })).toBeVisible();
  }
});

test("the create form shows each bad field's message by the field and creates nothing", async ({ page }) => {
  await page.goto("/settings/api-keys");
  const count = page.getByText(/of \d+ keys/);
  const before = await count.textContent();
  await page.getByRole("button", { name: "Create API key" }).click();
  const create = page.getByRole("dialog", { name: "Create API key" });
  await create.getByLabel("Allowed CIDRs").fill("10.0.0.0/33");
  await create.getByRole("button", { name: "Add CIDR" }).click();
  await create.getByLabel("Postback URL").fill("ftp://example.com/hook");
  await create.getByRole("button", { name: "Create key" }).click();
  await expect(create.getByText("Name is required")).toBeVisible();
  await expect(create.getByText("Choose at least one permission")).toBeVisible();
  await expect(create.getByText(/prefix length must be 0–32/)).toBeVisible();
  await expect(create.getByText("Postback URL must be an http or https URL")).toBeVisible();
  await expect(create).toBeVisible();
  await create.getByRole("button", { name: "Cancel" }).click();
  await page.reload();
  await expect(count).toHaveText(before!);
});

test("the table pages and filters on the server", async ({ page }) => {
  await page.goto("/settings/api-keys?size=10");
  await expect(page.getByText(/of \d+ keys/)).toBeVisible();
  await filterKeys(page, "Production backend");
  await expect(page.getByRole("row", { name: /Production backend/ })).toHaveCount(1);
  await expect(page.getByText("1–1 of 1 keys")).toBeVisible();
});
