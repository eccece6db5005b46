import { describe, expect, it } from "vitest";

import { createCspNonce, securityHeaders } from "./headers.server";

describe("securityHeaders", () => {
  it("allows only scripts carrying this response's nonce", () => {
    const csp = securityHeaders({ nonce: "abc123", isProduction: true })["Content-Security-Policy"]!;
    const directives = Object.fromEntries(csp.split("; ").map((directive) => [directive.split(" ")[0], directive]));
    expect(directives["script-src"]).toBe("script-src 'nonce-abc123' 'strict-dynamic'");
    expect(directives["object-src"]).toBe("object-src 'none'");
    expect(directives["base-uri"]).toBe("base-uri 'none'");
    expect(directives["frame-ancestors"]).toBe("frame-ancestors 'none'");
    expect(directives["default-src"]).toBe("default-src 'self'");
    expect(directives["form-action"]).toBe("form-action 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
  });

  it("sends HSTS in production only", () => {
    expect(securityHeaders({ nonce: "n", isProduction: true })["Strict-Transport-Security"]).toBe(
      "max-age=31536000; includeSubDomains",
    );
    expect(securityHeaders({ nonce: "n", isProduction: false })["Strict-Transport-Security"]).toBeUndefined();
  });

  it("sets the other baseline headers", () => {
    const headers = securityHeaders({ nonce: "n", isProduction: false });
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["Permissions-Policy"]).toContain("camera=()");
  });

  it("makes a new unguessable nonce each time", () => {
    const nonces = new Set(Array.from({ length: 50 }, () => createCspNonce()));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});
