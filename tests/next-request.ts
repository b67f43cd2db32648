/**
 * A stand-in for `next/headers`, so server actions and `auth()` run under Vitest
 * as they do in a request: one browser's cookie jar and headers. A test file
 * swaps it in with
 *
 *   vi.mock("next/headers", () => import("@/tests/next-request"));
 *
 * (next-auth is inlined by vitest.config.ts, so its own imports see it too) and
 * drives `browser`: what Set-Cookie wrote lands in `browser.cookies`; a test may
 * copy a cookie out and put it back, as an attacker would.
 */
import { CLIENT_ADDRESS_HEADER } from "@/lib/net/client-address";

export const browser = {
  cookies: new Map<string, string>(),
  /** The client address server.mjs would set. */
  address: "127.0.0.1" as string | null,
  userAgent: "vitest",
  reset() {
    this.cookies.clear();
    this.address = "127.0.0.1";
  },
};

export async function headers(): Promise<Headers> {
  const h = new Headers({ host: "localhost:3000", "x-forwarded-proto": "http", "user-agent": browser.userAgent });
  if (browser.address) h.set(CLIENT_ADDRESS_HEADER, browser.address);
  if (browser.cookies.size > 0) h.set("cookie", [...browser.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
  return h;
}

type CookieOptions = { maxAge?: number; expires?: Date | number };

export async function cookies() {
  return {
    get: (name: string) => (browser.cookies.has(name) ? { name, value: browser.cookies.get(name)! } : undefined),
    getAll: () => [...browser.cookies].map(([name, value]) => ({ name, value })),
    has: (name: string) => browser.cookies.has(name),
    set(name: string, value: string, options: CookieOptions = {}) {
      const expires = options.expires === undefined ? undefined : new Date(options.expires).getTime();
      const gone = value === "" || options.maxAge === 0 || (expires !== undefined && expires <= Date.now());
      if (gone) browser.cookies.delete(name);
      else browser.cookies.set(name, value);
    },
    delete: (name: string) => browser.cookies.delete(name),
  };
}

/** The URL a server action's `redirect()` threw (Next's NEXT_REDIRECT error), or null for any other outcome. */
export async function redirectOf(run: () => Promise<unknown>): Promise<string | null> {
  try {
    await run();
    return null;
  } catch (error) {
    const digest = (error as { digest?: unknown })?.digest;
    if (typeof digest !== "string" || !digest.startsWith("NEXT_REDIRECT")) throw error;
    // NEXT_REDIRECT;<type>;<url>;<status>;
    return digest.split(";").slice(2, -2).join(";");
  }
}
