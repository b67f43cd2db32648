import { z } from "zod";
import { passwordProblem } from "./password-policy";

export { PASSWORD_POLICY, passwordProblem } from "./password-policy";

const emailSchema = z.string().trim().toLowerCase().max(254, "Enter a valid email address").pipe(z.email("Enter a valid email address"));

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password").max(1024),
});
export type SignInInput = z.infer<typeof signInSchema>;

/**
 * A new password (sign-up, invitation, password change): the policy of
 * ./password-policy.ts, without the person's details. A form that has them
 * (name, email) adds `refinePasswordNotPersonal`; a server action that knows them
 * (the signed-in person's) calls `passwordProblem(password, [email, name])`.
 */
export const newPasswordSchema = z.string().superRefine((password, ctx) => {
  const problem = passwordProblem(password);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/**
 * For an object schema with a `password` field and the person's details in
 * other fields: the password may not contain them (reported by the password).
 */
export function refinePasswordNotPersonal<T extends { password: string }>(personal: (value: T) => Array<string | null | undefined>) {
  return (value: T, ctx: z.RefinementCtx) => {
    // The field's own rule has reported already when it failed: one message per field.
    if (passwordProblem(value.password) !== null) return;
    const problem = passwordProblem(value.password, personal(value));
    if (problem) ctx.addIssue({ code: "custom", message: problem, path: ["password"] });
  };
}

export const personName = z.string().trim().min(1, "Enter your name").max(100, "Use at most 100 characters");
const organizationName = z.string().trim().min(1, "Enter your organization's name").max(100, "Use at most 100 characters");

/** The sign-up form, on the page and in the action. */
export const signUpSchema = z
  .object({ name: personName, email: emailSchema, password: newPasswordSchema, organization: organizationName })
  .superRefine(refinePasswordNotPersonal((v) => [v.email, v.name]));
export type SignUpInput = z.input<typeof signUpSchema>;

/** Sign-in's second step: the challenge the password step issued, and a code from the app or a recovery code. */
export const secondFactorSchema = z.object({
  challenge: z.string().min(1).max(200),
  code: z.string().trim().min(1, "Enter the code from your authenticator app").max(64),
});
export type SecondFactorInput = z.infer<typeof secondFactorSchema>;
