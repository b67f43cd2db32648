/**
 * Types for local-secrets.mjs (plain ESM run by server.mjs), so TypeScript tests can import it.
 * Fills AUTH_SECRET and KEY_ENCRYPTION_KEY from `<root>/.data/local-secrets.json`, creating it when needed.
 */
export function ensureLocalSecrets(root?: string): void;
