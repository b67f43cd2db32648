import NextAuth from "next-auth";
import { authConfig } from "./auth.config";

// Redirects signed-out visitors of portal pages to /sign-in. Pages and actions
// check the session again themselves; this is the first line, not the only one.
const { auth } = NextAuth(authConfig);
export const proxy = auth;

export const config = {
  // Not the API (keys authenticate there), not next-auth's own routes, not static files.
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico|.*\\.(?:svg|png|ico|txt)$).*)"],
};
