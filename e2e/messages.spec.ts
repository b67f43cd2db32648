import { expect, test, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { seriousViolations, storageStateOf, uniqueName } from "./helpers";

test.use({ storageState: storageStateOf("owner") });

/** A full-access test key made through the keys page; its secret comes from the show-once modal. */
async function createTestKey(page: Page): Promise<string> {
  await page.goto("/settings/api-keys");
  await page.getByRole("button", { name: "Create API key" }).click();
  const create = page.getByRole("dialog", { name: "Create API key" });
  await create.getByLabel("Name", { exact: true }).fill(uniqueName("E2E messages"));
  await create.getByLabel("Test mode").check();
  await create.getByRole("radio", { name: "Full access" }).check();
  await create.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByRole("dialog", { name: "Your new API key" });
  const secret = await shown.getByLabel("API key").inputValue();
  await shown.getByLabel("I have saved this key").check();
  await shown.getByRole("button", { name: "Done" }).click();
  return secret;
}

/** With SCREENSHOTS=1: the page at 1280 and 390 px, for a person to look at. */
async function screenshots(page: Page, name: string) {
  if (!process.env.SCREENSHOTS) return;
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `test-results/screens/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

test("a test send appears under Test data only, with its status history and delivery", async ({ page }) => {
  const secret = await createTestKey(page);
  const recipient = "+15005550001"; // the sandbox's magic number for UNDELIV
  const notInService = "+15005550006"; // UNDELIV with code 006: a number not in service
  const sent = await page.request.post("/api/v1/sms/send", {
    headers: { "X-API-Key": secret },
    data: { to: [recipient, notInService], message: "E2E messages page", sender_id: "Acme" },
  });
  expect(sent.status()).toBe(200);
  const { messages } = (await sent.json()) as { messages: { message_id: string }[] };

  // Live traffic is the default: the test message is not there.
  await page.goto("/messages?period=today");
  await expect(page.getByRole("heading", { name: "Messages" })).toBeVisible();
  const testData = page.getByRole("switch", { name: "Test data" });
  await expect(testData).not.toBeChecked();
  await expect(page.getByRole("link", { name: recipient })).toHaveCount(0);

  // The switch shows sandbox traffic, and keeps showing it on the next page.
  await testData.click();
  await expect(testData).toBeChecked();
  await expect(page.getByText("You are viewing test data")).toBeVisible();
  await expect(page.getByRole("link", { name: recipient }).first()).toBeVisible();

  // The message's page: recipient as heading, the status history ending undelivered, in words.
  await page.goto(`/messages/${messages[0].message_id}`);
  await expect(page.getByRole("heading", { name: recipient, level: 1 })).toBeVisible();
  const history = page.getByRole("list", { name: "Status history" });
  await expect(history.getByText("Accepted")).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("list", { name: "Status history" }).getByText("Undelivered")).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByText("The carrier could not deliver it")).toBeVisible();
  // Why it was not delivered and what to do, in words (the API's failure, ours).
  const failure = page.getByRole("region", { name: "Why it was not delivered" });
  await expect(failure.getByText("Phone unreachable")).toBeVisible();
  await expect(failure.getByText("Worth retrying")).toBeVisible();
  await expect(failure.getByText("What to do")).toBeVisible();
  await expect(failure.getByText("Send it again later; if it keeps failing, confirm the number with the recipient.")).toBeVisible();
  expect((await new AxeBuilder({ page }).analyze()).violations.filter((v) => ["serious", "critical"].includes(v.impact ?? ""))).toEqual([]);

  // A number not in service: another reason, and not worth retrying as it is.
  await page.goto(`/messages/${messages[1].message_id}`);
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("region", { name: "Why it was not delivered" })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(failure.getByText("Number not in service")).toBeVisible();
  await expect(failure.getByText("Do not retry unchanged")).toBeVisible();
  await expect(failure.getByText("Remove the number from your list, or ask the recipient for their current number.")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await screenshots(page, "message-failure");

  // Filters and the export: the same CSV as the API's, without message texts.
  await page.goto(`/messages?period=today&phone=${encodeURIComponent("5550001")}&status=undelivered`);
  await expect(page.getByRole("link", { name: recipient }).first()).toBeVisible();
  // Each row that was not delivered names its reason under the status.
  await expect(
    page
      .getByRole("row")
      .filter({ has: page.getByRole("link", { name: recipient }) })
      .first(),
  ).toContainText("Phone unreachable");
  await screenshots(page, "messages-failure");
  expect((await new AxeBuilder({ page }).analyze()).violations.filter((v) => ["serious", "critical"].includes(v.impact ?? ""))).toEqual([]);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^messages-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await (await file.createReadStream()).toArray();
  const text = Buffer.concat(csv).toString("utf8");
  expect(text.split("\r\n")[0]).toBe(
    "id,source,message_id,recipient,country,sender_id,status,status_code,segments,cost,currency,sent_at,delivered_at" +
      ",failure_category,failure_retryable,failure_description,failure_action",
  );
  expect(text).toContain(messages[0].message_id);
  expect(text).not.toContain("E2E messages page");

  // Back to live for the other tests.
  await page.goto("/messages");
  await page.getByRole("switch", { name: "Test data" }).click();
  await expect(page.getByRole("switch", { name: "Test data" })).not.toBeChecked();
});

test("a bad filter is answered by the field, not an error page", async ({ page }) => {
  await page.goto("/messages?from=2026-13-45");
  await expect(page.getByRole("heading", { name: "Messages" })).toBeVisible();
  await expect(page.getByLabel("From")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("must be a date YYYY-MM-DD")).toBeVisible();
});

test.describe("a viewer", () => {
  test.use({ storageState: storageStateOf("viewer") });

  test("reads the Messages page from the navigation", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Messages" }).click();
    await expect(page.getByRole("heading", { name: "Messages" })).toBeVisible();
  });
});
