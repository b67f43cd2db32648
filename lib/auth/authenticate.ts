import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { users } from "@/db/schema";
import { dummyPasswordHash, verifyPassword } from "./password";

/** The user whose email and password match, or null. Same cost whether the email exists or not. */
export async function authenticate(db: Db, email: string, password: string) {
  const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase())).limit(1);
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  return user && ok ? { id: user.id, email: user.email, name: user.name } : null;
}
