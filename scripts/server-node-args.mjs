// The Node.js flags the portal's server runs with (npm start, npm run serve, the bench).
//
// A heap budget: without one, V8 sizes the heap from the machine's memory (up to
// ~4 GB here) and lets garbage pile up before collecting it. Measured (bench
// scenario 7): a 1,000,000-row CSV export, which holds one 5,000-row batch at a
// time, grew the server's RSS by ~150 MB by default and by 25–35 MB with 512 MB
// (~25 MB with 384), at the same speed. PORTAL_HEAP_MB changes it; a --max-old-space-size already in
// NODE_OPTIONS wins.
export const DEFAULT_HEAP_MB = 512;

export function serverNodeArgs(env = process.env) {
  if (/--max-old-space-size/.test(env.NODE_OPTIONS ?? "")) return [];
  const mb = Number(env.PORTAL_HEAP_MB || DEFAULT_HEAP_MB);
  if (!Number.isInteger(mb) || mb < 128)
    throw new Error(`PORTAL_HEAP_MB must be a whole number of megabytes, at least 128 (got "${env.PORTAL_HEAP_MB}")`);
  return [`--max-old-space-size=${mb}`];
}
