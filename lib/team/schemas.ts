import { z } from "zod";
import { newPasswordSchema, personName, refinePasswordNotPersonal } from "@/lib/auth/schemas";
import { ROLES } from "@/lib/permissions/catalog";

/** The Team page's forms and the invitation page's; the server parses with the same schemas. */

const email = z.string().trim().toLowerCase().max(254, "Enter a valid email address").pipe(z.email("Enter a valid email address"));
const role = z.enum(ROLES, { error: "Choose a role" });
export const memberIdSchema = z.coerce.number().int().positive();
export const invitationIdSchema = z.coerce.number().int().positive();

export const inviteFormSchema = z.object({ email, role });
export type InviteFormValues = z.input<typeof inviteFormSchema>;

export const changeRoleFormSchema = z.object({ userId: memberIdSchema, role });
export type ChangeRoleFormValues = z.input<typeof changeRoleFormSchema>;

export const removeMemberSchema = z.object({ userId: memberIdSchema });
export const revokeInvitationSchema = z.object({ id: invitationIdSchema });

/** The invitation page for someone without an account: their name and a password. */
export const acceptNewAccountSchema = z
  .object({ name: personName, password: newPasswordSchema })
  .superRefine(refinePasswordNotPersonal((v) => [v.name]));
export type AcceptNewAccountValues = z.input<typeof acceptNewAccountSchema>;

/** An invitation link's token: 43 base64url characters (256 bits); anything else is not one of ours. */
export const invitationTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
