// Stands in for "server-only" under vitest: the real package throws outside a Next server bundle.
export {};
