import type { z } from "zod";
import type { ActorContext } from "@/lib/context/actor";
import type { HandlerContext } from "./guard/with-api-key";

/**
 * The calling key as the actor of a change (audit event, permission ceiling):
 * it may grant at most its own effective permissions, sees keys as its creator
 * would (and only of its own mode), and hands out no fewer restrictions than it has.
 */
export function keyActor(ctx: HandlerContext<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>): ActorContext {
  const key = ctx.key;
  return {
    workspaceId: ctx.workspace.id,
    organizationId: ctx.workspace.organizationId,
    actor: {
      kind: "key",
      keyId: key.id,
      createdBy: key.createdBy,
      mode: key.mode,
      creatorCeiling: key.creatorCeiling,
      restrictions: {
        allowedCidrs: key.allowedCidrs,
        hmac: key.hmac,
        expiresAt: key.expiresAt === null ? null : new Date(key.expiresAt),
        offTheRecord: key.offTheRecord,
        dailySpendCap: key.dailySpendCap,
        allowedCountries: key.allowedCountries,
      },
    },
    ceiling: key.permissions,
    address: ctx.address,
  };
}
