import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { authConfig } from "./auth.config";
import { authenticate } from "@/lib/auth/authenticate";
import { signInSchema } from "@/lib/auth/schemas";

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        const parsed = signInSchema.safeParse(credentials);
        if (!parsed.success) return null;
        const user = await authenticate(parsed.data.email, parsed.data.password);
        return user ? { id: String(user.id), email: user.email, name: user.name } : null;
      },
    }),
  ],
});
