import type { Session, User } from "lucia";

declare module "@remix-run/node" {
  interface AppLoadContext {
    requestId: string;
    /** Resolved on first use by app/auth/session.server.ts and shared for the request. */
    auth?: Promise<{ user: User | null; session: Session | null }>;
    /** Set-Cookie values that entry.server adds to whatever response this request gets. */
    setCookies: string[];
    /** This response's Content-Security-Policy nonce (scripts/server.ts); absent outside the server. */
    cspNonce?: string;
    /** The client's address as express sees it (trusting only a loopback proxy), for rate limits. */
    clientIp?: string;
    /** Set for document (not data) requests: HTML the render needs but loader data should not repeat. */
    documentHtml?: Map<string, string>;
    /** A refusal the HTTP layer made of an app's data request before Remix (routes/refused.ts throws it). */
    refusal?: { status: number; message: string };
  }
}

export {};
