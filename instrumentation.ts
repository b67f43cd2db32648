// Runs once per server process (not during `next build`); requests wait for it.
// Node-only code is imported dynamically, so the edge bundle never sees it.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServerRuntime } = await import("./lib/runtime/start");
  await startServerRuntime();
}
