import { existsSync } from "node:fs";
import path from "node:path";
import { type ResourceLimits, Worker } from "node:worker_threads";

import { DataProblem } from "~/datasets/data-table";

import { RenderRefused } from "./render-refused";
import type { RenderReply, RenderTaskInput, RenderTaskKind, RenderTaskOutput } from "./tasks.server";

export type RenderPoolOptions = {
  /** The worker's entry; resolved from the working directory, as the production server runs from the project root. */
  workerFile?: string;
  /** Workers kept at most; a second starts only when a render has to wait for the first. */
  size?: number;
  /** Renders that may wait for a worker; more are refused as busy at once. */
  maxWaiting?: number;
  resourceLimits?: ResourceLimits;
  /** Budgets for some kinds of task, in place of the ones each render asks for (to try a short budget). */
  budgetMs?: Partial<Record<RenderTaskKind, number>>;
};

type Job = {
  id: number;
  kind: RenderTaskKind;
  input: unknown;
  budgetMs: number;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
};

type Slot = { worker: Worker; isReady: boolean; job: Job | null; timer?: NodeJS.Timeout };

/** A worker that has not loaded by then (tsx compiling the renderer on a busy machine) is given up on. */
const STARTUP_TIMEOUT_MS = 60_000;

const DEFAULT_RESOURCE_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 48 };

/**
 * A few worker threads that render untrusted text and data off the request thread, one task at a
 * time each, reused from render to render. A task that runs past its time budget has its worker
 * terminated (and replaced when next needed), and is refused with RenderRefused.
 */
export class RenderPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Job[] = [];
  private nextId = 1;
  private isClosed = false;
  private readonly workerFile: string;
  private readonly size: number;
  private readonly maxWaiting: number;
  private readonly resourceLimits: ResourceLimits;
  private readonly budgetOverrides: Partial<Record<RenderTaskKind, number>>;

  constructor(options: RenderPoolOptions = {}) {
    this.workerFile = path.resolve(options.workerFile ?? "app/rendering/render-worker.mjs");
    this.size = options.size ?? 2;
    this.maxWaiting = options.maxWaiting ?? 16;
    this.resourceLimits = options.resourceLimits ?? DEFAULT_RESOURCE_LIMITS;
    this.budgetOverrides = options.budgetMs ?? {};
  }

  run<K extends RenderTaskKind>(kind: K, input: RenderTaskInput<K>, { budgetMs }: { budgetMs: number }) {
    return new Promise<RenderTaskOutput<K>>((resolve, reject) => {
      if (this.isClosed) return reject(new Error("The render pool has been closed."));
      if (this.waiting.length >= this.maxWaiting) return reject(new RenderRefused("busy"));
      this.waiting.push({
        id: this.nextId++,
        kind,
        input,
        budgetMs: this.budgetOverrides[kind] ?? budgetMs,
        resolve: resolve as (result: unknown) => void,
        reject,
      });
      this.pump();
    });
  }

  /** Workers alive now (started or starting). */
  get workerCount() {
    return this.slots.length;
  }

  async close() {
    this.isClosed = true;
    for (const job of this.waiting.splice(0)) job.reject(new Error("The render pool has been closed."));
    await Promise.all(this.slots.splice(0).map((slot) => this.stop(slot)));
  }

  private pump() {
    while (this.waiting.length > 0) {
      const idle = this.slots.find((slot) => slot.isReady && slot.job === null);
      if (idle) {
        this.dispatch(idle, this.waiting.shift()!);
        continue;
      }
      if (this.slots.length < this.size && this.slots.every((slot) => slot.isReady)) this.spawn();
      return;
    }
  }

  private spawn() {
    if (!existsSync(this.workerFile)) {
      const error = new Error(`The render worker is missing at ${this.workerFile}`);
      for (const job of this.waiting.splice(0)) job.reject(error);
      return;
    }
    const worker = new Worker(this.workerFile, { resourceLimits: this.resourceLimits });
    const slot: Slot = { worker, isReady: false, job: null };
    slot.timer = setTimeout(() => {
      this.fail(slot, new Error("A render worker did not start in time."));
      void this.stop(slot);
    }, STARTUP_TIMEOUT_MS);
    this.slots.push(slot);
    worker.on("message", (message: RenderReply | { ready: true }) => this.receive(slot, message));
    worker.on("error", (error) => this.fail(slot, error));
    worker.on("exit", () => this.fail(slot, new Error("A render worker stopped unexpectedly.")));
  }

  private dispatch(slot: Slot, job: Job) {
    slot.job = job;
    slot.worker.ref();
    slot.timer = setTimeout(() => {
      this.remove(slot);
      void this.stop(slot);
      job.reject(new RenderRefused("too-slow", job.budgetMs));
      this.pump();
    }, job.budgetMs);
    slot.worker.postMessage({ id: job.id, kind: job.kind, input: job.input });
  }

  private receive(slot: Slot, message: RenderReply | { ready: true }) {
    if ("ready" in message) {
      clearTimeout(slot.timer);
      slot.isReady = true;
      slot.worker.unref();
      this.pump();
      return;
    }
    const job = slot.job;
    if (!job || job.id !== message.id) return;
    clearTimeout(slot.timer);
    slot.job = null;
    slot.worker.unref();
    if (message.ok) job.resolve(message.result);
    else if (message.failure.kind === "data-problem") job.reject(new DataProblem(message.failure.message));
    else if (message.failure.kind === "too-complex") job.reject(new RenderRefused("too-complex"));
    else job.reject(Object.assign(new Error(message.failure.message), { stack: message.failure.stack }));
    this.pump();
  }

  private fail(slot: Slot, error: Error) {
    if (!this.remove(slot)) return;
    clearTimeout(slot.timer);
    const job = slot.job;
    const outOfMemory = (error as NodeJS.ErrnoException).code === "ERR_WORKER_OUT_OF_MEMORY";
    if (job) job.reject(outOfMemory ? new RenderRefused("too-large") : error);
    // A worker that cannot even start would fail every render waiting for it the same way.
    else if (!slot.isReady) for (const waiting of this.waiting.splice(0)) waiting.reject(error);
    this.pump();
  }

  private remove(slot: Slot) {
    const index = this.slots.indexOf(slot);
    if (index < 0) return false;
    this.slots.splice(index, 1);
    return true;
  }

  private async stop(slot: Slot) {
    clearTimeout(slot.timer);
    await slot.worker.terminate();
  }
}
