import type { Session, User } from "lucia";

declare module "@remix-run/node" {
  interface AppLoadContext {
    requestId: string;
    /** Resolved on first use by app/auth/session.server.ts and shared for the request. */
    auth?: Promise<{ user: User | null; session: Session | null }>;
    /** Set-Cookie values that entry.server adds to whatever response this request gets. */
    setCookies: string[];
    /** Set for document (not data) requests: HTML the render needs but loader data should not repeat. */
    documentHtml?: Map<string, string>;
  }
}

export {};
