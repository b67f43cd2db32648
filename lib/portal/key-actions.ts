import { z } from "zod";
import { defineAction } from "@/lib/portal/define-action";
import { createKeyFormSchema, editKeyFormSchema, rollKeyFormSchema } from "@/lib/keys/form-schema";
import { keyIdSchema } from "@/lib/keys/schemas";
import { createKey, revokeKey, rollKey, setKeyEnabled, updateKey } from "@/lib/keys/service";

/**
 * The keys page's server actions, as plain functions of (env, input) so tests
 * call exactly what the browser calls; ./server-actions/keys.ts ("use server")
 * binds them to the request's session.
 */
export const keyActions = {
  create: defineAction({ right: "keys.page", schema: createKeyFormSchema }, ({ db, context }, input) => createKey(db, context, input)),
  update: defineAction({ right: "keys.page", schema: editKeyFormSchema }, ({ db, context }, { id, patch }) =>
    updateKey(db, context, id, patch),
  ),
  setEnabled: defineAction(
    { right: "keys.page", schema: z.object({ id: keyIdSchema, enabled: z.boolean() }) },
    ({ db, context }, { id, enabled }) => setKeyEnabled(db, context, id, enabled),
  ),
  roll: defineAction({ right: "keys.page", schema: rollKeyFormSchema }, ({ db, context, queue }, { id, graceSeconds }) =>
    rollKey(db, context, id, graceSeconds, queue),
  ),
  revoke: defineAction({ right: "keys.page", schema: z.object({ id: keyIdSchema }) }, ({ db, context, queue }, { id }) =>
    revokeKey(db, context, id, queue),
  ),
};
