import "server-only";
import { cookies } from "next/headers";

/** Which traffic the portal's traffic pages show: live by default, like Stripe's test-mode toggle. */
export type TrafficMode = "live" | "test";

const COOKIE = "traffic_mode";

export async function readTrafficMode(): Promise<TrafficMode> {
  return (await cookies()).get(COOKIE)?.value === "test" ? "test" : "live";
}

export async function writeTrafficMode(mode: TrafficMode): Promise<void> {
  (await cookies()).set(COOKIE, mode, {
    httpOnly: true,
    sameSite: "lax",
    secure: process.env.NODE_ENV === "production" && process.env.AUTH_URL?.startsWith("https:") === true,
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
  });
}
