import { expect, test } from "@playwright/test";
import { filterKeys, seriousViolations, storageStateOf, uniqueName } from "./helpers";

test.use({ storageState: storageStateOf("owner") });

// (ours) Spend and destination limits per key: set in the key dialog, shown on the key's page
// as today's spend against the cap (the meter "Spend today", docs/portal.md).
test("an owner sets a daily spend cap and countries in the dialog, and the key page shows today's spend against the cap", async ({
  page,
}) => {
  const name = uniqueName("E2E capped key");
  await page.goto("/settings/api-keys");
  await page.getByRole("button", { name: "Create API key" }).click();
  const create = page.getByRole("dialog", { name: "Create API key" });
  await create.getByLabel("Name", { exact: true }).fill(name);
  await create.getByRole("radio", { name: "Restricted" }).check();
  await create.getByRole("checkbox", { name: "sms.send" }).check();

  // Bad values are refused by their fields, and nothing is created.
  await create.getByLabel("Daily spend cap").fill("-5");
  await create.getByLabel("Allowed countries").fill("GB, XX");
  await create.getByRole("button", { name: "Create key" }).click();
  await expect(create.getByText(/Daily spend cap must be an amount/)).toBeVisible();
  await expect(create.getByText("Not ISO 3166 country codes: XX")).toBeVisible();

  await create.getByLabel("Daily spend cap").fill("5");
  await create.getByLabel("Allowed countries").fill("gb, ie");
  await create.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByRole("dialog", { name: "Your new API key" });
  const secret = await shown.getByLabel("API key").inputValue();
  await shown.getByLabel("I have saved this key").check();
  await shown.getByRole("button", { name: "Done" }).click();

  // Its page: the settings and the meter at zero.
  await filterKeys(page, name);
  await page.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  const meter = page.getByRole("meter", { name: "Spend today" });
  await expect(meter).toHaveAttribute("aria-valuetext", "€0.00 of €5.00");
  await expect(page.getByText("Allowed countries")).toBeVisible();
  await expect(page.getByText("GB, IE", { exact: true })).toBeVisible();

  // A send to GB and to the US (outside the key's countries): the US recipient is blocked, GB billed and counted.
  const sent = await page.request.post("/api/v1/sms/send", {
    headers: { "X-API-Key": secret },
    data: { to: ["+447400123456", "+14155551234"], message: "Cap test", sender_id: "Acme" },
  });
  expect(sent.status()).toBe(200);
  const body = (await sent.json()) as { results: { status: string }[]; summary: { total_cost: number } };
  expect(body.results.map((r) => r.status)).toEqual(["accepted", "blocked_country"]);
  const cost = body.summary.total_cost;
  const euros = (n: number) =>
    new Intl.NumberFormat("en-GB", { style: "currency", currency: "EUR", minimumFractionDigits: 2, maximumFractionDigits: 5 }).format(n);
  await page.reload();
  await expect(meter).toHaveAttribute("aria-valuetext", `${euros(cost)} of €5.00`);

  // Edit: a lower cap, shown at once on the page.
  await page.getByRole("button", { name: "Edit" }).click();
  const edit = page.getByRole("dialog", { name: `Edit ${name}` });
  await expect(edit.getByLabel("Daily spend cap")).toHaveValue("5");
  await expect(edit.getByLabel("Allowed countries")).toHaveValue("GB, IE");
  await edit.getByLabel("Daily spend cap").fill("2.5");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit).toBeHidden();
  await expect(meter).toHaveAttribute("aria-valuetext", `${euros(cost)} of €2.50`);
  await expect(page.getByText("€2.50 per UTC day")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `test-results/key-limits-page-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByRole("button", { name: "Edit" }).click();
  const dialog = page.getByRole("dialog", { name: `Edit ${name}` });
  await expect(dialog).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByLabel("Daily spend cap").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/key-limits-dialog-1280.png" });
  await page.setViewportSize({ width: 390, height: 900 });
  await dialog.getByLabel("Daily spend cap").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/key-limits-dialog-390.png" });
});
