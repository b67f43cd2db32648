/**
 * Types for request-target.mjs (plain ESM run by server.mjs).
 * The origin-form target ("/path?query") for a raw request target, or null when it gets 400.
 */
export function originFormTarget(url: string | undefined): string | null;
