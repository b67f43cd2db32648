import { z } from "zod";

export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().max(254, "Enter a valid email address").pipe(z.email("Enter a valid email address")),
  password: z.string().min(1, "Enter your password").max(1024),
});
export type SignInInput = z.infer<typeof signInSchema>;
