// Runs in the browser before the portal's own code (Next.js instrumentation-client).
import { config } from "zod/v4/core";

// zod probes once whether it may compile parsers with `Function("")`, when the first z.object() is
// built (module load of the form schemas). The CSP (no 'unsafe-eval', next.config.ts) refuses that and
// the browser reports a violation, though zod then falls back. Saying jitless before any schema is
// built skips the probe. Browser only: the server keeps zod's compiled parsers.
config({ jitless: true });
