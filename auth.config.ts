import type { NextAuthConfig } from "next-auth";
import { SESSION_LIFETIME } from "@/lib/auth/session-lifetime";

declare module "next-auth" {
  interface User {
    /** Set by authorize() at sign-in: the server-side session's token, kept in the JWT as `sid`. */
    sessionToken?: string;
  }
  interface Session {
    /** The server-side session's row id (lib/auth/sessions.ts), checked on every request. */
    sessionId?: string;
  }
}

/**
 * The part of the next-auth configuration that the proxy (middleware) needs:
 * no database, no password hashing. auth.ts adds the Credentials provider.
 */
export const authConfig = {
  pages: { signIn: "/sign-in" },
  // The JWT rolls with activity like the session row's idle expiry; the row decides (lib/auth/sessions.ts).
  session: { strategy: "jwt", maxAge: SESSION_LIFETIME.idleSeconds },
  trustHost: true,
  providers: [],
  callbacks: {
    // Every page but sign-in, sign-up and static files needs a session.
    authorized({ auth, request }) {
      const { pathname } = request.nextUrl;
      // An invitation link opens signed out too (the invitee may have no account yet).
      if (pathname === "/sign-in" || pathname === "/sign-up" || pathname.startsWith("/invite/")) return true;
      return Boolean(auth?.user);
    },
    jwt({ token, user }) {
      if (user?.id) token.sub = user.id;
      if (user?.sessionToken) token.sid = user.sessionToken;
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
