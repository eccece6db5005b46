import { parentPort } from "node:worker_threads";

import { DataProblem } from "~/datasets/data-table";

import { type RenderReply, type RenderRequest, type RenderTaskFailure, renderTasks } from "./tasks.server";

// One render worker: runs tasks one at a time, as the pool sends them (render-pool.server.ts).

function failureOf(error: unknown): RenderTaskFailure {
  if (error instanceof DataProblem) return { kind: "data-problem", message: error.message };
  if (error instanceof RangeError && /call stack/i.test(error.message)) return { kind: "too-complex" };
  return error instanceof Error
    ? { kind: "unexpected", message: error.message, stack: error.stack }
    : { kind: "unexpected", message: String(error) };
}

parentPort!.on("message", ({ id, kind, input }: RenderRequest) => {
  const cpu = process.cpuUsage();
  let reply: RenderReply;
  try {
    const result = (renderTasks[kind] as (input: unknown) => unknown)(input);
    reply = { id, ok: true, result, cpuMs: 0 };
  } catch (error) {
    reply = { id, ok: false, failure: failureOf(error), cpuMs: 0 };
  }
  const used = process.cpuUsage(cpu);
  reply.cpuMs = (used.user + used.system) / 1000;
  parentPort!.postMessage(reply);
});
parentPort!.postMessage({ ready: true });
