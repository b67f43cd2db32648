import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db } from "@/db";
import { ServiceError } from "@/lib/errors/service-error";
import { hasPortalRight, ORGANIZATION_RIGHTS, type PortalRight } from "@/lib/permissions/catalog";
import type { QueueRef } from "@/lib/webhooks/account-events";
import type { PortalContext } from "@/lib/workspaces/context";

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: string; fieldErrors?: Record<string, string> };

export const TWO_FACTOR_FIRST = "Your organization requires two-factor authentication: turn it on in Your account first.";

export const WORKSPACE_ARCHIVED = "This workspace is archived: its data can be read but not changed.";

/**
 * Whether the page should offer this right's change buttons: the role holds it,
 * and the current workspace is not archived (unless the right acts on the
 * organization). The same rule defineAction enforces on the server.
 */
export function mayChange(context: PortalContext, right: PortalRight): boolean {
  return hasPortalRight(context.role, right) && (!context.workspace.archived || ORGANIZATION_RIGHTS.includes(right));
}

/** `queue`: the job queue, for actions whose change enqueues work (key events); absent, nothing is enqueued. */
export type ActionEnv = { db: Db; context: PortalContext | null; queue?: QueueRef };

/**
 * One authorized step for every server action: a session, a workspace the
 * person belongs to (resolved by getPortalContext), the portal right for this
 * action, then the input parsed by the same zod schema the form uses. Only
 * expected (ServiceError) messages reach the browser.
 */
export function defineAction<S extends z.ZodType, T>(
  config: { right: PortalRight; schema: S },
  handler: (env: { db: Db; context: PortalContext; queue?: QueueRef }, input: z.output<S>) => Promise<T>,
) {
  return async (env: ActionEnv, input: unknown): Promise<ActionResult<T>> => {
    const { context } = env;
    if (!context) return { ok: false, error: "Your session has ended. Sign in again." };
    // The organization requires two-factor sign-in: nothing but "Your account" until it is set up.
    if (context.twoFactor.required && !context.twoFactor.enabled) return { ok: false, error: TWO_FACTOR_FIRST };
    if (!hasPortalRight(context.role, config.right)) return { ok: false, error: "Your role does not allow this." };
    if (context.workspace.archived && !ORGANIZATION_RIGHTS.includes(config.right)) return { ok: false, error: WORKSPACE_ARCHIVED };
    const parsed = config.schema.safeParse(input);
    if (!parsed.success) return { ok: false, error: "Check the highlighted fields.", fieldErrors: fieldErrorsOf(parsed.error) };
    try {
      return { ok: true, data: await handler({ db: env.db, context, queue: env.queue }, parsed.data) };
    } catch (error) {
      if (error instanceof ServiceError) return { ok: false, error: error.message, fieldErrors: error.fieldErrors };
      const ref = randomUUID();
      console.error(JSON.stringify({ level: "error", msg: "server action failed", ref, error: String((error as Error)?.stack ?? error) }));
      return { ok: false, error: `Something went wrong (reference ${ref}).` };
    }
  };
}

/** The first message per field, keyed by its dotted path ("allowedCidrs.0.value"). */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "form";
    fields[key] ??= issue.message;
  }
  return fields;
}
