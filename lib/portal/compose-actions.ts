import { ServiceError } from "@/lib/errors/service-error";
import { hasPortalRight } from "@/lib/permissions/catalog";
import { defineAction } from "@/lib/portal/define-action";
import { composePreviewSchema, composeSendSchema } from "@/lib/sms/compose";
import { previewForPortal, sendFromPortal } from "@/lib/sms/portal-send";
import type { SendDeps } from "@/lib/sms/send";
import type { PortalContext } from "@/lib/workspaces/context";

export const LIVE_REFUSED = "Your role may send test messages only: live messages are sent by Owners and Admins.";

/** Live mode is for messages.send_live (Owner, Admin); everyone else with messages.send uses the sandbox. */
function assertModeAllowed(context: PortalContext, mode: "test" | "live") {
  if (mode === "live" && !hasPortalRight(context.role, "messages.send_live")) {
    throw new ServiceError("FORBIDDEN", LIVE_REFUSED, { mode: LIVE_REFUSED });
  }
}

/**
 * The Dashboard's "Send a test message", as plain functions of (env, input) so
 * tests call exactly what the browser calls; ./server-actions/messages.ts binds
 * them to the request's session and the process's queue and carriers.
 */
export const composeActions = {
  // The live preview: POST /sms/preview's function, for the person's workspace and the mode chosen.
  preview: defineAction({ right: "messages.send", schema: composePreviewSchema }, async ({ db, context }, input) => {
    assertModeAllowed(context, input.mode);
    return previewForPortal(db, context, input);
  }),
  // The send: POST /sms/send's path, audited sms.portal_send.
  send: (deps: Omit<SendDeps, "db">) =>
    defineAction({ right: "messages.send", schema: composeSendSchema }, async ({ db, context }, input) => {
      assertModeAllowed(context, input.mode);
      return sendFromPortal({ ...deps, db }, context, input);
    }),
};
