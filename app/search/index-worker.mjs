// Worker threads start without the TypeScript loader the app runs under; register tsx, then run
// the TypeScript worker. Plain JavaScript so that Node can start it directly.
import { register } from "tsx/esm/api";

register();
await import("./index-worker.ts");
