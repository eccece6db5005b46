import type { ChartDataset } from "~/charts/render-chart.server";
import { prepareDataset } from "~/datasets/prepare.server";
import { mentionedUsernames } from "~/markdown/mentions.server";
import { renderMarkdown } from "~/markdown/render.server";

import { renderItemBodySync } from "./item-body.server";

/** The work a render worker does: everything that reads untrusted text or data at length. */
export const renderTasks = {
  itemBody: ({ body, slug, datasets }: { body: string; slug?: string; datasets: ChartDataset[] }) =>
    renderItemBodySync(body, { slug, datasets }),
  reply: ({ markdown }: { markdown: string }) => ({
    html: renderMarkdown(markdown).html,
    mentionCandidates: mentionedUsernames(markdown),
  }),
  dataset: ({ fileName, bytes }: { fileName: string; bytes: Uint8Array }) => prepareDataset({ fileName, bytes }),
};

type RenderTasks = typeof renderTasks;
export type RenderTaskKind = keyof RenderTasks;
export type RenderTaskInput<K extends RenderTaskKind> = Parameters<RenderTasks[K]>[0];
export type RenderTaskOutput<K extends RenderTaskKind> = ReturnType<RenderTasks[K]>;

/** A task's failure as it crosses from the worker: problems the writer can fix keep their message. */
export type RenderTaskFailure =
  | { kind: "data-problem"; message: string }
  | { kind: "too-complex" }
  | { kind: "unexpected"; message: string; stack?: string };

export type RenderRequest = { id: number; kind: RenderTaskKind; input: unknown };
export type RenderReply =
  | { id: number; ok: true; result: unknown; cpuMs: number }
  | { id: number; ok: false; failure: RenderTaskFailure; cpuMs: number };
