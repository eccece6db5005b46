import { randomBytes } from "node:crypto";

/** A fresh nonce for one response's Content-Security-Policy. */
export function createCspNonce() {
  return randomBytes(16).toString("base64");
}

/** The headers every response carries. The nonce lets Remix's own scripts run and nothing else. */
export function securityHeaders({ nonce, isProduction }: { nonce: string; isProduction: boolean }) {
  const contentSecurityPolicy = [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'`,
    `style-src 'self' 'nonce-${nonce}'`,
    // Item bodies may show images from other https sites (the sanitiser allows http(s) only).
    "img-src 'self' https: data:",
    "font-src 'self'",
    // Development live reload talks over a websocket on another port.
    isProduction ? "connect-src 'self'" : "connect-src 'self' ws:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  const headers: Record<string, string> = {
    "Content-Security-Policy": contentSecurityPolicy,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
  };
  if (isProduction) headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  return headers;
}
