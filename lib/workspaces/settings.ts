import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import { workspaces } from "@/db/schema";
import { diff, recordAudit } from "@/lib/audit/record";
import type { ActorContext } from "@/lib/context/actor";
import { isCountryCode } from "@/lib/format/country";

export { isCountryCode };

export const workspaceSettingsSchema = z.object({
  blockedCountries: z
    .array(z.string().trim().toUpperCase())
    .max(250)
    .transform((codes, ctx) => {
      const unknown = codes.filter((c) => !isCountryCode(c));
      if (unknown.length) ctx.addIssue({ code: "custom", message: `Not ISO 3166 country codes: ${unknown.join(", ")}` });
      return [...new Set(codes)].sort();
    }),
});
export type WorkspaceSettingsInput = z.input<typeof workspaceSettingsSchema>;

export async function getWorkspaceSettings(db: Db, ctx: ActorContext) {
  const [row] = await db
    .select({ blockedCountries: workspaces.blockedCountries })
    .from(workspaces)
    .where(eq(workspaces.id, ctx.workspaceId));
  return row;
}

/** Changes the workspace's settings, audited in the same transaction. */
export async function updateWorkspaceSettings(db: Db, ctx: ActorContext, input: z.output<typeof workspaceSettingsSchema>) {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ blockedCountries: workspaces.blockedCountries })
      .from(workspaces)
      .where(eq(workspaces.id, ctx.workspaceId))
      .for("update");
    const changes = diff(before, input);
    if (Object.keys(changes).length === 0) return before;
    const [after] = await tx
      .update(workspaces)
      .set({ blockedCountries: input.blockedCountries })
      .where(eq(workspaces.id, ctx.workspaceId))
      .returning({ blockedCountries: workspaces.blockedCountries });
    await recordAudit(tx, ctx, { action: "workspace.update", targetType: "workspace", targetId: String(ctx.workspaceId), changes });
    return after;
  });
}
