import { z } from "zod";
import { newPasswordSchema, personName } from "./schemas";

/** The forms of "Your account": one schema each, used by the form in the browser and by the server action. */

export const accountNameSchema = z.object({ name: personName });

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, "Enter your current password").max(1024),
  newPassword: newPasswordSchema,
});

export const twoFactorCodeSchema = z.object({
  code: z
    .string()
    .trim()
    .transform((v) => v.replace(/\s/g, ""))
    .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app")),
});

export const turnOffTwoFactorSchema = z.object({
  credential: z.string().trim().min(1, "Enter a code from your authenticator app or your password").max(1024),
});

export const twoFactorRequirementSchema = z.object({ required: z.boolean() });
