import type { SubmissionResult } from "@conform-to/zod/v4";
import { z } from "zod";

/**
 * What every form action answers with when it does not redirect: Conform's submission result.
 * `error` holds each field's messages by name ("" for the form as a whole) and `initialValue`
 * what the person sent (secret fields left out), so nothing typed is lost.
 */
export type FormReply = SubmissionResult<string[]>;

/** The key Conform keeps form-wide messages under. */
const FORM = "";

/** Reads a reply for the page: each field's first message, what was sent, and the form's own message. */
export function readReply(reply: FormReply | null | undefined) {
  const error = reply?.error ?? {};
  const sent = reply?.initialValue ?? {};
  return {
    hasErrors: Object.values(error).some((messages) => (messages?.length ?? 0) > 0),
    /** The first message for a field, or for the whole form with "form". */
    errorOf(name: string): string | undefined {
      return error[name === "form" ? FORM : name]?.[0] ?? undefined;
    },
    /** Every message for a field, or for the whole form with "form". */
    errorsOf(name: string): string[] {
      return error[name === "form" ? FORM : name] ?? [];
    },
    /** What was sent in a text field, to fill it in again. */
    valueOf(name: string): string | undefined {
      const value = sent[name];
      return typeof value === "string" ? value : undefined;
    },
    /**
     * What to fill a field with: what was sent when there is a reply (Conform leaves out empty
     * fields, so a cleared one stays cleared), otherwise the saved value.
     */
    valueOr(name: string, saved: string | null | undefined): string | undefined {
      if (reply) return typeof sent[name] === "string" ? sent[name] : "";
      return saved ?? undefined;
    },
    /** Every value sent under a name (checkboxes, repeated fields). */
    valuesOf(name: string): string[] {
      const value = sent[name];
      if (typeof value === "string") return [value];
      return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
    },
    /** Each field's first message, "form" for the form's own, in the order the fields came. */
    fieldErrors(): Record<string, string> {
      const firsts: Record<string, string> = {};
      for (const [name, messages] of Object.entries(error)) {
        const first = messages?.[0];
        if (first) firsts[name === FORM ? "form" : name] = first;
      }
      return firsts;
    },
  };
}

export type ReadReply = ReturnType<typeof readReply>;

/** A text field's value: "" when it is missing, or when a multipart form sent a file under its name. */
export function textField(formData: FormData, name: string) {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

/** What a form that is not one of ours (an old page, a crafted post) is told. */
export const UNRECOGNISED_FORM = "That form is not one we recognise. Reload the page and try again.";

/** A row's id sent in a hidden field: a positive whole number, or the form is not one of ours. */
export function hiddenId() {
  return z
    .string({ error: UNRECOGNISED_FORM })
    .regex(/^[1-9]\d{0,11}$/, UNRECOGNISED_FORM)
    .transform(Number);
}
