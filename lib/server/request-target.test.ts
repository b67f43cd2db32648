import { describe, expect, it } from "vitest";
import { originFormTarget } from "./request-target.mjs";

describe("originFormTarget: no request target can make the portal name another host", () => {
  it("keeps an origin-form target as it is (query, dot segments and percent-encoding untouched)", () => {
    expect(originFormTarget("/")).toBe("/");
    expect(originFormTarget("/api/v1/user/balance?x=1&y=%2F")).toBe("/api/v1/user/balance?x=1&y=%2F");
    expect(originFormTarget("/api/v1/keys/../user/balance")).toBe("/api/v1/keys/../user/balance");
    expect(originFormTarget("/api/v1/%FF")).toBe("/api/v1/%FF");
  });

  it("keeps only the path and query of an absolute-form target, whatever host it names", () => {
    expect(originFormTarget("http://evil.example/sign-in?callbackUrl=%2F")).toBe("/sign-in?callbackUrl=%2F");
    expect(originFormTarget("https://evil.example:8443/api/v1/user/balance")).toBe("/api/v1/user/balance");
    expect(originFormTarget("http://evil.example")).toBe("/");
    expect(originFormTarget("http://evil.example?next=1")).toBe("/?next=1");
    expect(originFormTarget("http://user:pw@evil.example/messages#frag")).toBe("/messages");
    expect(originFormTarget("HTTP://EVIL.EXAMPLE/Messages")).toBe("/Messages");
  });

  it("collapses leading slashes, so no path reads as a network-path reference (//host)", () => {
    expect(originFormTarget("//evil.example/")).toBe("/evil.example/");
    expect(originFormTarget("///evil.example")).toBe("/evil.example");
    expect(originFormTarget("http://a.example//evil.example/x")).toBe("/evil.example/x");
  });

  it("refuses the targets no page or endpoint answers: authority-form, asterisk-form, other schemes, empty", () => {
    for (const target of ["evil.example:443", "*", "javascript:alert(1)", "ftp://evil.example/x", "", undefined]) {
      expect(originFormTarget(target), String(target)).toBeNull();
    }
  });
});
