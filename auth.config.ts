import type { NextAuthConfig } from "next-auth";

/**
 * The part of the next-auth configuration that the proxy (middleware) needs:
 * no database, no password hashing. auth.ts adds the Credentials provider.
 */
export const authConfig = {
  pages: { signIn: "/sign-in" },
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  trustHost: true,
  providers: [],
  callbacks: {
    // Every page but the sign-in page and static files needs a session.
    authorized({ auth, request }) {
      const { pathname } = request.nextUrl;
      if (pathname === "/sign-in") return true;
      return Boolean(auth?.user);
    },
    jwt({ token, user }) {
      if (user?.id) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
  logger: {
    // A failed sign-in is an expected event, not a stack trace in the server log.
    error(error) {
      // error.name is minified in the build; `type` is the stable identifier.
      if ((error as { type?: string }).type === "CredentialsSignin") return;
      console.error(`[auth] ${(error as { type?: string }).type ?? error.name}: ${error.message}`);
    },
  },
} satisfies NextAuthConfig;
