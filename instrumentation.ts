// Runs once per server process (not during `next build`): opens the database and
// starts the job queue and its workers, so delivery reports and webhooks flow
// even before the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getJobs } = await import("./lib/jobs/runtime");
  await getJobs();
}
