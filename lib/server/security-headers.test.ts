import { describe, expect, it } from "vitest";
import { servedOverHttps } from "./security-headers.mjs";

describe("servedOverHttps (when server.mjs sends Strict-Transport-Security)", () => {
  it("is true for every request when AUTH_URL is https", () => {
    expect(servedOverHttps({ authUrl: "https://portal.example.com", trustedHops: 0, forwardedProto: undefined })).toBe(true);
    expect(servedOverHttps({ authUrl: "HTTPS://portal.example.com/", trustedHops: 0, forwardedProto: "http" })).toBe(true);
  });

  it("is false on plain http without a trusted proxy, whatever X-Forwarded-Proto a client sends", () => {
    expect(servedOverHttps({ authUrl: undefined, trustedHops: 0, forwardedProto: undefined })).toBe(false);
    expect(servedOverHttps({ authUrl: "http://127.0.0.1:3000", trustedHops: 0, forwardedProto: "https" })).toBe(false);
  });

  it("believes the nearest trusted proxy's X-Forwarded-Proto", () => {
    expect(servedOverHttps({ authUrl: undefined, trustedHops: 1, forwardedProto: "https" })).toBe(true);
    expect(servedOverHttps({ authUrl: undefined, trustedHops: 1, forwardedProto: "http" })).toBe(false);
    // A client's forged first entry is not the proxy's.
    expect(servedOverHttps({ authUrl: undefined, trustedHops: 1, forwardedProto: "https, http" })).toBe(false);
    expect(servedOverHttps({ authUrl: undefined, trustedHops: 2, forwardedProto: "http, HTTPS" })).toBe(true);
  });
});
