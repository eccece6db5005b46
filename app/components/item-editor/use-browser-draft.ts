import { useEffect, useRef, useState } from "react";
import { z } from "zod";

import { readStoredJson } from "~/utils/stored-json";

const StoredDraftSchema = z.object({
  savedAt: z.string(),
  version: z.number().nullable(),
  entries: z.array(z.tuple([z.string(), z.string()])),
});

type StoredDraft = z.infer<typeof StoredDraftSchema>;

/** Autosaves the form's text in this browser, and offers it back after a crash or a lost session. */
export function useBrowserDraft(
  formRef: React.RefObject<HTMLFormElement | null>,
  storageKey: string,
  version: number | null,
) {
  const [status, setStatus] = useState("");
  const [offer, setOffer] = useState<StoredDraft | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const key = `commons-draft:${storageKey}`;

  useEffect(() => {
    try {
      // A draft another version of this page kept, or one edited by hand, is not offered.
      const draft = readStoredJson(StoredDraftSchema, window.localStorage.getItem(key));
      if (!draft) return;
      const form = formRef.current;
      if (!form) return;
      const current = new FormData(form);
      const differs = draft.entries.some(
        ([name, value]) => name !== "version" && !current.getAll(name).includes(value),
      );
      if (differs) setOffer(draft);
      else window.localStorage.removeItem(key);
    } catch {
      // Storage can be unavailable (private windows, quotas): autosave is a bonus, never a blocker.
    }
    return () => clearTimeout(timer.current);
  }, [key, formRef]);

  function schedule() {
    clearTimeout(timer.current);
    setStatus("Unsaved changes");
    timer.current = setTimeout(() => {
      const form = formRef.current;
      if (!form) return;
      const entries = [...new FormData(form).entries()].filter(
        (entry): entry is [string, string] => typeof entry[1] === "string" && entry[0] !== "intent",
      );
      try {
        window.localStorage.setItem(
          key,
          JSON.stringify({ savedAt: new Date().toISOString(), version, entries } satisfies StoredDraft),
        );
        setStatus(
          `Draft kept in this browser at ${new Date().toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" })}`,
        );
      } catch {
        setStatus("Could not keep a copy in this browser: save your draft to be safe");
      }
    }, 800);
  }

  function restore() {
    const form = formRef.current;
    if (!form || !offer) return;
    const byName = new Map<string, string[]>();
    for (const [name, value] of offer.entries) byName.set(name, [...(byName.get(name) ?? []), value]);
    for (const element of Array.from(form.elements)) {
      if (!(
        element instanceof HTMLInputElement ||
        element instanceof HTMLTextAreaElement ||
        element instanceof HTMLSelectElement
      ))
        continue;
      if (!element.name || element.name === "version" || element.name === "intent" || element.type === "file") continue;
      const stored = byName.get(element.name);
      if (!stored) continue;
      if (element instanceof HTMLInputElement && element.type === "checkbox")
        element.checked = stored.includes(element.value);
      else element.value = stored[0] ?? "";
    }
    setOffer(null);
    setStatus("Restored the text kept in this browser");
  }

  function discard() {
    window.localStorage.removeItem(key);
    setOffer(null);
  }

  function clear() {
    clearTimeout(timer.current);
    window.localStorage.removeItem(key);
  }

  return { status, offer, schedule, restore, discard, clear };
}
