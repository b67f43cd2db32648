import { expect, type Page } from "@playwright/test";
import { seriousViolations } from "./helpers";

/** Invites `email` as `role` from the Team page; the one-time link the dialog shows. */
export async function invite(page: Page, email: string, role: string): Promise<string> {
  await page.goto("/team");
  await page.getByRole("button", { name: "Invite member" }).click();
  const dialog = page.getByRole("dialog", { name: "Invite member" });
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Role").selectOption({ label: role });
  await dialog.getByRole("button", { name: "Create invitation" }).click();
  const link = dialog.getByRole("textbox", { name: "Invitation link" });
  await expect(link).toHaveValue(/\/invite\/[A-Za-z0-9_-]{43}$/);
  expect(await seriousViolations(page)).toEqual([]);
  const value = await link.inputValue();
  await dialog.getByRole("button", { name: "Done" }).click();
  return value;
}

/** Changes a member's role from the Team page's row menu. */
export async function changeRole(page: Page, email: string, role: string) {
  await page.getByRole("button", { name: `Actions for ${email}` }).click();
  await page.getByRole("menuitem", { name: "Change role" }).click();
  const dialog = page.getByRole("dialog", { name: /Change role of/ });
  await dialog.getByLabel("Role").selectOption({ label: role });
  await dialog.getByRole("button", { name: "Change role" }).click();
  await expect(page.getByText(`${email} is now ${role}.`)).toBeVisible();
}
