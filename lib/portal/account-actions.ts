import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db } from "@/db";
import { changePassword, signOutEverywhere, updateAccountName } from "@/lib/auth/account";
import {
  confirmTwoFactorSetup,
  regenerateRecoveryCodes,
  setTwoFactorRequirement,
  startTwoFactorSetup,
  turnOffTwoFactor,
} from "@/lib/auth/two-factor";
import {
  accountNameSchema,
  changePasswordSchema,
  turnOffTwoFactorSchema,
  twoFactorCodeSchema,
  twoFactorRequirementSchema,
} from "@/lib/auth/account-schemas";
import { ServiceError } from "@/lib/errors/service-error";
import type { PortalContext } from "@/lib/workspaces/context";
import { fieldErrorsOf, type ActionEnv, type ActionResult } from "./define-action";

/**
 * The chain for "Your account": like defineAction (a live session, the form's
 * own zod schema, only expected messages shown) but with no portal right — every
 * member manages their own account — and open while the organization's
 * two-factor requirement is not met yet (that is where it is met).
 */
export function defineAccountAction<S extends z.ZodType, T>(
  schema: S,
  handler: (env: { db: Db; context: PortalContext }, input: z.output<S>) => Promise<T>,
) {
  return async (env: ActionEnv, input: unknown): Promise<ActionResult<T>> => {
    const { context } = env;
    if (!context) return { ok: false, error: "Your session has ended. Sign in again." };
    const parsed = schema.safeParse(input);
    if (!parsed.success) return { ok: false, error: "Check the highlighted fields.", fieldErrors: fieldErrorsOf(parsed.error) };
    try {
      return { ok: true, data: await handler({ db: env.db, context }, parsed.data) };
    } catch (error) {
      if (error instanceof ServiceError) return { ok: false, error: error.message, fieldErrors: error.fieldErrors };
      const ref = randomUUID();
      // The database's own error, not Drizzle's wrapper: that one lists the query's parameters (a password hash, recovery code hashes).
      const cause = (error as { cause?: unknown })?.cause ?? error;
      console.error(JSON.stringify({ level: "error", msg: "account action failed", ref, error: String((cause as Error)?.stack ?? cause) }));
      return { ok: false, error: `Something went wrong (reference ${ref}).` };
    }
  };
}

const empty = z.object({});

export const accountActions = {
  updateName: defineAccountAction(accountNameSchema, ({ db, context }, input) => updateAccountName(db, context, input)),
  changePassword: defineAccountAction(changePasswordSchema, ({ db, context }, input) => changePassword(db, context, input)),
  signOutEverywhere: defineAccountAction(empty, ({ db, context }) => signOutEverywhere(db, context)),
  startTwoFactor: defineAccountAction(empty, ({ db, context }) => startTwoFactorSetup(db, context)),
  confirmTwoFactor: defineAccountAction(twoFactorCodeSchema, ({ db, context }, input) => confirmTwoFactorSetup(db, context, input)),
  turnOffTwoFactor: defineAccountAction(turnOffTwoFactorSchema, ({ db, context }, input) => turnOffTwoFactor(db, context, input)),
  regenerateRecoveryCodes: defineAccountAction(turnOffTwoFactorSchema, ({ db, context }, input) =>
    regenerateRecoveryCodes(db, context, input),
  ),
  requireTwoFactor: defineAccountAction(twoFactorRequirementSchema, ({ db, context }, input) =>
    setTwoFactorRequirement(db, context, input),
  ),
};
