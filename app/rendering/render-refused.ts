export type RenderRefusal = "too-slow" | "too-complex" | "too-large" | "busy";

/**
 * Rendering stopped before it finished: the text (or data) took longer than its budget, nested
 * too deeply, needed too much memory, or every render worker was taken. Nothing was saved; the
 * message says so, for the form that sent it.
 */
export class RenderRefused extends Error {
  constructor(
    readonly reason: RenderRefusal,
    budgetMs = 0,
  ) {
    super(messageFor(reason, budgetMs));
    this.name = "RenderRefused";
  }
}

function messageFor(reason: RenderRefusal, budgetMs: number) {
  const kept = "Nothing has been saved, and nothing you wrote has been lost.";
  switch (reason) {
    case "too-slow":
      return `We stopped rendering this after ${Math.round(budgetMs / 1000)} seconds: it is too long or too complex. ${kept} Shorten it, or draw fewer charts from smaller datasets, and try again.`;
    case "too-complex":
      return `This is nested too deeply to render. ${kept} Flatten the deepest lists or quotes and try again.`;
    case "too-large":
      return `This needs more memory to render than one page may use. ${kept} Shorten it, or draw fewer charts from smaller datasets, and try again.`;
    case "busy":
      return `The site is busy rendering other people's writing. ${kept} Wait a minute and try again.`;
  }
}
