import { getDatabase } from "@/db";
import { seedIfEmpty } from "@/db/seed";
import { getJobs } from "./jobs";

/**
 * Once per server process (instrumentation.ts, before the first request): open
 * and migrate the database, seed it when empty (the price list, and the demo
 * organization unless SEED_DEMO_DATA=false), then start the job queue and its
 * workers, so delivery reports and webhooks flow before the first request.
 */
export async function startServerRuntime(): Promise<void> {
  const database = await getDatabase();
  await seedIfEmpty(database.db);
  await getJobs();
}
