import { randomUUID } from "node:crypto";
import type { Db } from "@/db";
import { signUpSchema } from "@/lib/auth/schemas";
import { signUp } from "@/lib/auth/sign-up";
import { ServiceError } from "@/lib/errors/service-error";
import { fieldErrorsOf, type ActionResult } from "./define-action";

/**
 * The sign-up form's server action as a plain function of (env, input), so tests
 * call what the browser calls; ./server-actions/sign-up.ts binds it to the
 * request and signs the new Owner in. No session is needed, none is checked.
 */
export async function signUpAction(
  env: { db: Db; address: string | null },
  input: unknown,
): Promise<ActionResult<{ email: string; userId: number; organizationId: number }>> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "Check the highlighted fields.", fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    const created = await signUp(env.db, { address: env.address }, parsed.data);
    return { ok: true, data: { email: created.user.email, userId: created.user.id, organizationId: created.organizationId } };
  } catch (error) {
    if (error instanceof ServiceError) return { ok: false, error: error.message, fieldErrors: error.fieldErrors };
    const ref = randomUUID();
    // The database's own error, not Drizzle's wrapper: that one lists the query's parameters, the password hash among them.
    const cause = (error as { cause?: unknown })?.cause ?? error;
    console.error(JSON.stringify({ level: "error", msg: "sign-up failed", ref, error: String((cause as Error)?.stack ?? cause) }));
    return { ok: false, error: `Something went wrong (reference ${ref}).` };
  }
}
