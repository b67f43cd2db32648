import type { z } from "zod";
import type { ActorContext } from "@/lib/context/actor";
import type { HandlerContext } from "./guard/with-api-key";

/**
 * The calling key as the actor of a change (audit event, permission ceiling):
 * it may grant at most its own effective permissions.
 */
export function keyActor(ctx: HandlerContext<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>): ActorContext {
  return {
    workspaceId: ctx.workspace.id,
    organizationId: ctx.workspace.organizationId,
    actor: { kind: "key", keyId: ctx.key.id, createdBy: ctx.key.createdBy },
    ceiling: ctx.key.permissions,
    address: ctx.address,
  };
}
