import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { authConfig } from "./auth.config";
import { getDb } from "@/db";
import { secondFactorSchema, signInSchema } from "@/lib/auth/schemas";
import { signInWithPassword, signInWithSecondFactor } from "@/lib/auth/sign-in";
import { endSession, sessionIdOf } from "@/lib/auth/sessions";
import { clientAddress } from "@/lib/net/client-address";

/**
 * authorize() refused the attempt because of the sign-in limits, before looking
 * at the password. The sign-in form reads `retryAfterSeconds`; next-auth's own
 * routes put `code=rate_limited` in their redirect.
 */
export class SignInLocked extends CredentialsSignin {
  code = "rate_limited";
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}

/** The seconds to wait when `error` is a SignInLocked (by its code: a module may be evaluated once per bundle), else null. */
export function lockedFor(error: unknown): number | null {
  if (!(error instanceof CredentialsSignin) || error.code !== "rate_limited") return null;
  const seconds = (error as Partial<SignInLocked>).retryAfterSeconds;
  return typeof seconds === "number" ? seconds : null;
}

/**
 * The password was right and the person has two-factor sign-in on: no session.
 * The sign-in form reads `challenge` and asks for a code; next-auth's own routes
 * put `code=two_factor` in their redirect (and never see the challenge).
 */
export class TwoFactorRequired extends CredentialsSignin {
  code = "two_factor";
  constructor(readonly challenge: string) {
    super();
  }
}

/** The second step's challenge expired (or was not ours): start again from the password. */
export class TwoFactorExpired extends CredentialsSignin {
  code = "two_factor_expired";
}

/** The challenge when `error` is a TwoFactorRequired (by its code, like lockedFor), else null. */
export function twoFactorChallengeOf(error: unknown): string | null {
  if (!(error instanceof CredentialsSignin) || error.code !== "two_factor") return null;
  const challenge = (error as Partial<TwoFactorRequired>).challenge;
  return typeof challenge === "string" ? challenge : null;
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  providers: [
    Credentials({
      credentials: {
        email: { label: "Email" },
        password: { label: "Password", type: "password" },
        // The second step: the challenge from the first and a code from the app (or a recovery code).
        challenge: {},
        code: { label: "Authentication code" },
      },
      // Every credentials sign-in passes here (the portal's form and next-auth's
      // /api/auth/callback/credentials alike), so the limits are enforced here.
      async authorize(credentials, request) {
        const secondStep = secondFactorSchema.safeParse(credentials);
        if (secondStep.success) {
          const outcome = await signInWithSecondFactor(await getDb(), {
            ...secondStep.data,
            address: clientAddress(request.headers),
            userAgent: request.headers.get("user-agent"),
          });
          if (outcome.ok)
            return { id: String(outcome.user.id), email: outcome.user.email, name: outcome.user.name, sessionToken: outcome.sessionToken };
          if (outcome.reason === "locked") throw new SignInLocked(outcome.retryAfterSeconds);
          if (outcome.reason === "expired") throw new TwoFactorExpired();
          return null;
        }
        const parsed = signInSchema.safeParse(credentials);
        if (!parsed.success) return null;
        const outcome = await signInWithPassword(await getDb(), {
          ...parsed.data,
          address: clientAddress(request.headers),
          userAgent: request.headers.get("user-agent"),
        });
        if (outcome.ok)
          return { id: String(outcome.user.id), email: outcome.user.email, name: outcome.user.name, sessionToken: outcome.sessionToken };
        if (outcome.reason === "locked") throw new SignInLocked(outcome.retryAfterSeconds);
        if (outcome.reason === "two_factor") throw new TwoFactorRequired(outcome.challenge);
        return null;
      },
    }),
  ],
  callbacks: {
    ...authConfig.callbacks,
    session(params) {
      const session = authConfig.callbacks.session(params);
      // The row id (a hash), not the token: this object is also served by GET /api/auth/session.
      const token = params.token.sid;
      session.sessionId = typeof token === "string" ? sessionIdOf(token) : undefined;
      return session;
    },
  },
  events: {
    // Sign-out through next-auth's own route; the portal's sign-out action ends the session itself first.
    async signOut(message) {
      const token = "token" in message ? message.token?.sid : undefined;
      if (typeof token === "string") await endSession(await getDb(), sessionIdOf(token));
    },
  },
});
