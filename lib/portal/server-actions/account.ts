"use server";

import { revalidatePath } from "next/cache";
import { signOut } from "@/auth";
import { getDb } from "@/db";
import { accountActions } from "@/lib/portal/account-actions";
import type { ActionResult } from "@/lib/portal/define-action";
import { getPortalContext } from "@/lib/portal/session";

const env = async () => ({ db: await getDb(), context: await getPortalContext() });

/** Runs one of "Your account"'s actions for the signed-in person; the page shows the new state. */
async function run<T>(
  action: (e: Awaited<ReturnType<typeof env>>, input: unknown) => Promise<ActionResult<T>>,
  input: unknown,
  refresh = true,
) {
  const result = await action(await env(), input);
  if (result.ok && refresh) revalidatePath("/account");
  return result;
}

// POST (server action) — change the signed-in person's name.
export async function updateAccountNameAction(input: { name: string }) {
  const result = await run(accountActions.updateName, input);
  // The header shows the name on every page.
  if (result.ok) revalidatePath("/", "layout");
  return result;
}

// POST (server action) — change the password; every other session ends.
export async function changePasswordAction(input: { currentPassword: string; newPassword: string }) {
  return run(accountActions.changePassword, input);
}

// POST (server action) — "Sign out everywhere": every session ends, this one too, then the sign-in page.
export async function signOutEverywhereAction(): Promise<ActionResult<never>> {
  const result = await run(accountActions.signOutEverywhere, {}, false);
  if (!result.ok) return result;
  await signOut({ redirectTo: "/sign-in" });
  return result as never;
}

// POST (server action) — "Turn on": a new secret; the page shows its QR code and the secret as text.
export async function startTwoFactorAction() {
  return run(accountActions.startTwoFactor, {});
}

// POST (server action) — confirm the setup with a code; answers the recovery codes (shown once). The page refreshes when they are put away.
export async function confirmTwoFactorAction(input: { code: string }) {
  return run(accountActions.confirmTwoFactor, input, false);
}

// POST (server action) — turn two-factor sign-in off (or cancel a setup), with a current code or the password.
export async function turnOffTwoFactorAction(input: { credential: string }) {
  return run(accountActions.turnOffTwoFactor, input);
}

// POST (server action) — new recovery codes in place of the old ones, with a current code or the password; answers them (shown once).
export async function regenerateRecoveryCodesAction(input: { credential: string }) {
  return run(accountActions.regenerateRecoveryCodes, input, false);
}

// POST (server action) — an Owner requires (or stops requiring) two-factor sign-in in the organization.
export async function requireTwoFactorAction(input: { required: boolean }) {
  const result = await run(accountActions.requireTwoFactor, input);
  if (result.ok) revalidatePath("/", "layout");
  return result;
}
