import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideClientAddress } from "./client-address.mjs";

const PROXY = "10.0.0.2";
const addressArb = fc.oneof(fc.ipV4(), fc.ipV6());
const xffArb = fc.array(addressArb, { maxLength: 6 }).map((list) => list.join(", "));

describe("decideClientAddress", () => {
  describe("with no trusted proxy hops", () => {
    it("uses the socket address whatever X-Forwarded-For says (a forged header is never used)", () => {
      expect(decideClientAddress("198.51.100.4", "6.6.6.6", 0)).toBe("198.51.100.4");
      expect(decideClientAddress("198.51.100.4", "6.6.6.6, 7.7.7.7", 0)).toBe("198.51.100.4");
      fc.assert(
        fc.property(addressArb, fc.option(xffArb, { nil: undefined }), (socket, xff) => {
          expect(decideClientAddress(socket, xff, 0)).toBe(socket);
        }),
      );
    });

    it("treats a non-numeric hop count (NaN from TRUST_PROXY_HOPS) as zero", () => {
      expect(decideClientAddress("198.51.100.4", "6.6.6.6", Number("abc"))).toBe("198.51.100.4");
    });

    it("gives null when the socket has no address", () => {
      expect(decideClientAddress(undefined, "6.6.6.6", 0)).toBeNull();
      expect(decideClientAddress(null, undefined, 0)).toBeNull();
    });
  });

  describe("with one trusted proxy", () => {
    it("takes the right-most X-Forwarded-For entry (the one our proxy appended)", () => {
      expect(decideClientAddress(PROXY, "203.0.113.9", 1)).toBe("203.0.113.9");
      expect(decideClientAddress(PROXY, "6.6.6.6, 203.0.113.9", 1)).toBe("203.0.113.9");
      expect(decideClientAddress(PROXY, " 6.6.6.6 ,  , 203.0.113.9 ", 1)).toBe("203.0.113.9");
    });

    it("never picks an entry the client forged on the left", () => {
      fc.assert(
        fc.property(fc.array(addressArb, { maxLength: 6 }), addressArb, (forged, client) => {
          const xff = [...forged, client].join(", ");
          expect(decideClientAddress(PROXY, xff, 1)).toBe(client);
        }),
      );
    });

    it("falls back to the socket address when there is no X-Forwarded-For header", () => {
      expect(decideClientAddress(PROXY, undefined, 1)).toBe(PROXY);
      expect(decideClientAddress(PROXY, "", 1)).toBe(PROXY);
      expect(decideClientAddress(PROXY, " , ", 1)).toBe(PROXY);
    });

    it("gives null when neither the header nor the socket has an address", () => {
      expect(decideClientAddress(undefined, undefined, 1)).toBeNull();
    });
  });

  describe("with two trusted proxies", () => {
    it("takes the second entry from the right", () => {
      expect(decideClientAddress(PROXY, "6.6.6.6, 203.0.113.9, 10.0.0.1", 2)).toBe("203.0.113.9");
      fc.assert(
        fc.property(fc.array(addressArb, { maxLength: 6 }), addressArb, addressArb, (forged, client, inner) => {
          const xff = [...forged, client, inner].join(", ");
          expect(decideClientAddress(PROXY, xff, 2)).toBe(client);
        }),
      );
    });
  });

  describe("with more hops than entries", () => {
    it("takes the left-most entry", () => {
      expect(decideClientAddress(PROXY, "203.0.113.9", 2)).toBe("203.0.113.9");
      expect(decideClientAddress(PROXY, "203.0.113.9, 10.0.0.1", 5)).toBe("203.0.113.9");
    });

    it("takes the socket address when there is no header at all", () => {
      expect(decideClientAddress(PROXY, undefined, 3)).toBe(PROXY);
    });
  });

  it("accepts a header given as an array (String() joins it with commas)", () => {
    // Node gives x-forwarded-for as a string, but the function reads any value through String().
    expect(decideClientAddress(PROXY, ["6.6.6.6", "203.0.113.9"], 1)).toBe("203.0.113.9");
  });

  it("always returns the socket, an X-Forwarded-For entry or null", () => {
    fc.assert(
      fc.property(addressArb, xffArb, fc.integer({ min: 0, max: 8 }), (socket, xff, hops) => {
        const entries = xff
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
        const result = decideClientAddress(socket, xff, hops);
        expect([socket, ...entries]).toContain(result);
      }),
    );
  });
});
