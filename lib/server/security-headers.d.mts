/** Types for security-headers.mjs (plain ESM run by server.mjs), so TypeScript tests can import it. */
export const HSTS: string;

export function servedOverHttps(request: {
  authUrl: string | undefined;
  trustedHops: number;
  /** The raw X-Forwarded-Proto header as Node gives it. */
  forwardedProto: string | readonly string[] | undefined;
}): boolean;
