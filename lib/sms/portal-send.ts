import { randomUUID } from "node:crypto";
import type { Db } from "@/db";
import { recordAudit } from "@/lib/audit/record";
import type { ActorContext } from "@/lib/context/actor";
import type { ComposeSend } from "./compose";
import { previewSend, type Preview } from "./preview";
import { hashBody, sendSms, type SendDeps } from "./send";
import type { SendBody } from "./send-input";

/**
 * The portal's "Send a test message": the API's own preview and send, for a
 * person rather than a key. Which roles may send, and send live, is the
 * portal's decision (lib/portal/compose-actions.ts); here the workspace is the
 * actor's and the mode the one asked for.
 */

/** POST /sms/preview's answer for the composer's values (nothing stored, nothing billed). */
export function previewForPortal(db: Db, ctx: ActorContext, input: { body: SendBody; mode: "test" | "live" }): Promise<Preview> {
  // A person has no key, so no key's limits (allowed countries, daily cap): the workspace's rules apply.
  return previewSend(db, { workspaceId: ctx.workspaceId, mode: input.mode, allowedCountries: [] }, input.body);
}

export type PortalSendResult = {
  mode: "test" | "live";
  /** Each recipient's message id and what the send answered for it. */
  results: { dnis: string; message_id: string; status: string }[];
  accepted: number;
  totalCost: number;
};

/**
 * Sends through POST /sms/send's path (price, balance, store, enqueue in one
 * transaction), with no key (messages.key_id null), the live debit's ledger
 * entry marked "portal", and one audit event `sms.portal_send` in the same
 * transaction — the mode, the number of recipients, segments and cost; never the
 * numbers or the text. The form's idempotency key makes a double submit send once.
 */
export async function sendFromPortal(deps: SendDeps, ctx: ActorContext, input: ComposeSend): Promise<PortalSendResult> {
  const requestId = `portal_${randomUUID()}`;
  const fingerprint = JSON.stringify({ to: input.body.to.map((r) => r.e164), message: input.body.message, sender: input.body.senderId });
  const outcome = await sendSms(
    deps,
    {
      key: { workspaceId: ctx.workspaceId, mode: input.mode, id: null, allowedCountries: [], dailySpendCap: null },
      requestId,
      idempotency: { key: `portal:${input.idempotencyKey}`, bodyHash: hashBody(fingerprint) },
      ledgerSource: "portal",
      onStored: async (tx, stored) => {
        const summary = stored.body.summary as {
          total_recipients: number;
          accepted_count: number;
          total_segments: number;
          total_cost: number;
        };
        await recordAudit(tx, ctx, {
          action: "sms.portal_send",
          targetType: "workspace",
          targetId: String(ctx.workspaceId),
          changes: {
            mode: { before: null, after: input.mode },
            recipients: { before: null, after: summary.total_recipients },
            accepted: { before: null, after: summary.accepted_count },
            segments: { before: null, after: summary.total_segments },
            cost: { before: null, after: summary.total_cost },
          },
        });
      },
    },
    input.body,
  );
  const body = outcome.body as { results: PortalSendResult["results"]; summary: { accepted_count: number; total_cost: number } };
  return {
    mode: input.mode,
    results: body.results.map((r) => ({ dnis: r.dnis, message_id: r.message_id, status: r.status })),
    accepted: body.summary.accepted_count,
    totalCost: body.summary.total_cost,
  };
}
