// Worker threads start without the TypeScript loader the app runs under (tsx, in scripts, tests
// and the production server alike); register it, then run the TypeScript worker. Plain
// JavaScript so that Node can start it directly, from the source tree, whatever bundle started it.
import { register } from "tsx/esm/api";

register();
await import("./render-worker.ts");
