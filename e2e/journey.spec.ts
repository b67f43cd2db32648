import { expect, test, type Page } from "@playwright/test";
import { seriousViolations } from "./helpers";
import { changeRole, invite } from "./team-helpers";

// Issue 12's journey, in one story: a new organization signs up, invites a Developer who joins in a second
// browser, is made a Viewer, then removed — and the Owner's audit log shows all of it, filtered by actor.

const OWNER_PASSWORD = "copper kettle orbit lantern";
const INVITEE_PASSWORD = "Marble-Kettle-58-Lantern";

const navLinks = (page: Page) => page.getByRole("navigation", { name: "Main" }).getByRole("link");

test("sign-up → invite a Developer → they join and see a Developer's portal → made Viewer → removed, all in the audit log", async ({
  browser,
}) => {
  // Two browsers, a sign-up, an invitation and a dozen pages on a shared machine.
  test.setTimeout(240_000);
  const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const ownerEmail = `founder-${stamp}@journey.test`;
  const inviteeEmail = `dev-${stamp}@journey.test`;
  const organization = `Journey ${stamp}`;

  // 1. Sign-up of a new organization: its Owner lands signed in.
  const ownerContext = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const owner = await ownerContext.newPage();
  await owner.goto("/sign-in");
  await owner.getByRole("link", { name: "Create an account" }).click();
  await owner.getByLabel("Name").fill("Jules Founder");
  await owner.getByLabel("Email").fill(ownerEmail);
  await owner.getByLabel("Password").fill(OWNER_PASSWORD);
  await owner.getByLabel("Organization").fill(organization);
  await owner.getByRole("button", { name: "Create account" }).click();
  await expect(owner.getByRole("link", { name: "Jules Founder (Owner)" })).toBeVisible();

  // 2. The Owner invites a Developer.
  const link = await invite(owner, inviteeEmail, "Developer");

  // 3. The invitee accepts in a second browser context and sees only what a Developer sees.
  const inviteeContext = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const invitee = await inviteeContext.newPage();
  await invitee.goto(link);
  await expect(invitee.getByRole("heading", { name: `Join ${organization}` })).toBeVisible();
  await invitee.getByLabel("Name").fill("Devi Joiner");
  await invitee.getByLabel("Password").fill(INVITEE_PASSWORD);
  await invitee.getByRole("button", { name: "Create account and join" }).click();
  await expect(invitee.getByRole("banner").getByRole("link", { name: /Devi Joiner/ })).toBeVisible();
  await expect(invitee.getByRole("banner")).toContainText(organization);
  await expect(navLinks(invitee)).toHaveText(["Dashboard", "Messages", "Statistics", "Webhooks", "API keys", "Team", "API reference"]);
  expect((await invitee.goto("/audit"))?.status()).toBe(404);
  expect((await invitee.goto("/billing"))?.status()).toBe(404);
  await invitee.goto("/settings/api-keys");
  await expect(invitee.getByRole("heading", { name: "API keys" })).toBeVisible();

  // 4. The Owner changes the role to Viewer: the invitee's next page load reflects it.
  await owner.goto("/team");
  await changeRole(owner, inviteeEmail, "Viewer");
  await invitee.goto("/");
  await expect(invitee.getByRole("banner").getByRole("link", { name: "Devi Joiner (Viewer)" })).toBeVisible();
  // A Viewer reads Billing but has no keys page.
  await expect(navLinks(invitee)).toHaveText(["Dashboard", "Messages", "Statistics", "Webhooks", "Team", "Billing", "API reference"]);
  expect((await invitee.goto("/settings/api-keys"))?.status()).toBe(404);

  // 5. The Owner removes them: their session ends.
  await owner.goto("/team");
  await owner.getByRole("button", { name: `Actions for ${inviteeEmail}` }).click();
  await owner.getByRole("menuitem", { name: "Remove" }).click();
  await owner
    .getByRole("dialog", { name: /Remove/ })
    .getByRole("button", { name: "Remove member" })
    .click();
  await expect(owner.getByRole("table", { name: "Members" })).not.toContainText(inviteeEmail);
  await invitee.goto("/");
  await expect(invitee).toHaveURL(/\/sign-in/);

  // 6. The audit log shows all of it, newest first.
  await owner.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
  await expect(owner.getByRole("heading", { name: "Audit log" })).toBeVisible();
  const table = owner.getByRole("table", { name: "Audit events, newest first" });
  const actions = table.locator("tbody tr td:nth-child(3) code");
  await expect(actions).toHaveText([
    "member.removed",
    "member.role_changed",
    "auth.sign_in",
    "member.joined",
    "member.invited",
    "auth.sign_in",
    "organization.create",
  ]);
  await expect(table).toContainText(inviteeEmail);
  expect(await seriousViolations(owner)).toEqual([]);

  // Filtered by actor: the invitee's own events (their sign-in on joining, the join itself).
  await owner.getByLabel("Actor").selectOption({ label: `Jules Founder (${ownerEmail})` });
  await owner.getByRole("button", { name: "Apply" }).click();
  await expect(actions).toHaveText(["member.removed", "member.role_changed", "member.invited", "auth.sign_in", "organization.create"]);
  // The removed member is no longer in the list of members, but their events keep them as actor.
  await owner.goto("/audit");
  await table.getByRole("row").filter({ hasText: "Member joined" }).getByRole("link", { name: "Devi Joiner" }).click();
  await expect(owner).toHaveURL(/actor=user%3A\d+/);
  await expect(actions).toHaveText(["auth.sign_in", "member.joined"]);
  await expect(owner.getByLabel("Actor")).toHaveValue(/^user:\d+$/);

  await inviteeContext.close();
  await ownerContext.close();
});
