import { inject } from "vitest";

// Factories in browser tests write to the same SQLite file the server under test reads.
process.env.DATABASE_PATH = inject("databasePath");
process.env.NODE_ENV = "production";
// Links in mail queued from a test (a digest) must point at the server under test.
process.env.SITE_URL = inject("baseUrl");
