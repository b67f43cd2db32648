import "server-only";
import { cookies } from "next/headers";

const COOKIE = "workspace";

export async function readWorkspaceCookie(): Promise<number | null> {
  const value = Number((await cookies()).get(COOKIE)?.value);
  return Number.isInteger(value) && value > 0 ? value : null;
}

export async function writeWorkspaceCookie(workspaceId: number): Promise<void> {
  (await cookies()).set(COOKIE, String(workspaceId), {
    httpOnly: true,
    sameSite: "lax",
    secure: process.env.NODE_ENV === "production" && process.env.AUTH_URL?.startsWith("https:") === true,
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
  });
}
