import { randomUUID } from "node:crypto";

import {
  type AppLoadContext,
  data,
  redirect,
  unstable_parseMultipartFormData as parseMultipartFormData,
} from "@remix-run/node";

import { getUser } from "~/auth/session.server";
import { db } from "~/db/client.server";
import { actorFrom, type Actor } from "~/models/actor.server";
import { DiscussionError } from "~/models/discussion-access.server";
import { CONFIRM_BEFORE_PUBLISHING, isEmailConfirmed } from "~/models/email-verification.server";
import {
  type FieldError,
  first,
  type FormValues,
  parseItemForm,
  ROW_FIELDS,
  type RowField,
  rowCount,
} from "~/models/item-form";
import { storeImage } from "~/models/item-image.server";
import { requireCanEditItem } from "~/models/item-permissions.server";
import { ItemBodyProblem, requireDrawableCharts } from "~/models/item-render.server";
import { BODY_MAX_LENGTH } from "~/models/item-schema";
import { previewItemBody } from "~/models/item.server";
import {
  type CurrentVersion,
  changeItemStatus,
  createItemFromEditor,
  type EditableItem,
  resetPreviewLink,
  updateItemFromEditor,
} from "~/models/publishing.server";
import { type DiffLine, diffTexts } from "~/models/revision-diff.server";
import type { ItemStatus, ItemType } from "~/models/vocabulary";
import { RenderRefused } from "~/rendering/render-refused";
import { readFormData, readPartWithin, responseForDomainError } from "~/utils/forms.server";
import { itemEditPath, itemPath } from "~/utils/paths";

// The editor's request handling, shared by /write/$type and /library/$slug/edit: reading its
// multipart form within limits and answering every outcome short of success with the form as
// sent. The models it calls check permission themselves.

/** Whole submissions above this are refused before parsing (a 10 MB body still gets a message). */
export const EDITOR_FORM_MAX_BYTES = 16 * 1024 * 1024;
const TEXT_PART_MAX_BYTES = 12 * 1024 * 1024;
const FILE_PART_MAX_BYTES = 5 * 1024 * 1024 + 1;

export type EditorForm =
  | { ok: true; values: FormValues; files: Record<string, { bytes: Uint8Array; tooLarge: boolean }> }
  | { ok: false; message: string };

/** Browsers send textarea line breaks as CRLF; files and diffs want one kind of line break. */
function unixNewlines(text: string) {
  return text.replace(/\r\n?/g, "\n");
}

/** Reads the editor's form (multipart, or url-encoded from the small status forms) within limits. */
export async function readEditorForm(request: Request): Promise<EditorForm> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > EDITOR_FORM_MAX_BYTES) {
    return {
      ok: false,
      message:
        "That was too much to send at once (more than 16 MB), so nothing was saved. Use your browser's Back button to return to your text, then shorten it or split it into more than one item.",
    };
  }
  const contentType = request.headers.get("Content-Type") ?? "";
  if (!contentType.startsWith("multipart/form-data")) {
    const formData = await readFormData(request);
    const values: FormValues = {};
    for (const [name, value] of formData.entries())
      if (typeof value === "string") (values[name] ??= []).push(unixNewlines(value));
    return { ok: true, values, files: {} };
  }
  const values: FormValues = {};
  const files: Record<string, { bytes: Uint8Array; tooLarge: boolean }> = {};
  let textTooLarge = false;
  try {
    await parseMultipartFormData(request, async (part) => {
      if (part.filename !== undefined) {
        const { bytes, tooLarge } = await readPartWithin(part.data, FILE_PART_MAX_BYTES);
        if (part.filename !== "")
          files[part.name] = { bytes, tooLarge: tooLarge || bytes.byteLength >= FILE_PART_MAX_BYTES };
        return undefined;
      }
      const { bytes, tooLarge } = await readPartWithin(part.data, TEXT_PART_MAX_BYTES);
      if (tooLarge) textTooLarge = true;
      (values[part.name] ??= []).push(unixNewlines(new TextDecoder().decode(bytes)));
      return undefined;
    });
  } catch {
    return {
      ok: false,
      message: "We could not read that form. Go back, check your text is still there, and try again.",
    };
  }
  if (textTooLarge) {
    return {
      ok: false,
      message:
        "One of the fields was far too long (more than 12 MB), so nothing was saved. Use your browser's Back button to return to your text and shorten it.",
    };
  }
  return { ok: true, values, files };
}

export type EditorActionData =
  | {
      kind: "form";
      formKey: string;
      values: FormValues;
      errors: FieldError[];
      preview: { html: string } | null;
      notice: string | null;
    }
  | {
      kind: "signed-out";
      formKey: string;
      values: FormValues;
      errors: FieldError[];
      preview: null;
      notice: null;
      type: ItemType;
      status: ItemStatus;
    }
  | {
      kind: "conflict";
      formKey: string;
      values: FormValues;
      errors: FieldError[];
      preview: null;
      notice: null;
      current: CurrentVersion & { diff: DiffLine[] };
    }
  | { kind: "too-large"; formKey: string; message: string };

type EditorTarget = { kind: "new"; type: ItemType } | { kind: "existing"; item: EditableItem };

function formReply(reply: Omit<Extract<EditorActionData, { kind: "form" }>, "kind" | "formKey">, status = 200) {
  return data({ kind: "form", formKey: randomUUID(), ...reply } satisfies EditorActionData as EditorActionData, {
    status,
  });
}

/** Adds or removes a row of a repeated group, for people without JavaScript as well as with it. */
function changeRows(values: FormValues, intent: string): FormValues | undefined {
  const add = /^add-row:(outcomes|sources|datasets)$/.exec(intent);
  if (add) {
    const field = add[1] as RowField;
    const index = Math.max(rowCount(values, field), 0);
    const next = { ...values };
    for (const column of ROW_FIELDS[field]) next[`${field}[${index}].${column}`] = [""];
    return next;
  }
  const remove = /^remove-row:(outcomes|sources|datasets):(\d{1,2})$/.exec(intent);
  if (remove) {
    const field = remove[1] as RowField;
    const removed = Number(remove[2]);
    const count = rowCount(values, field);
    const next: FormValues = {};
    for (const [name, entry] of Object.entries(values)) if (!name.startsWith(`${field}[`)) next[name] = entry;
    let target = 0;
    for (let index = 0; index < count; index += 1) {
      if (index === removed) continue;
      for (const column of ROW_FIELDS[field]) {
        next[`${field}[${target}].${column}`] = [first(values, `${field}[${index}].${column}`)];
      }
      target += 1;
    }
    return next;
  }
  return undefined;
}

/**
 * The editor's action, shared by /write/$type and /library/$slug/edit. Every outcome short of
 * success re-renders the form with everything the writer sent; a member who may not change the
 * item gets a 403 page.
 */
export async function handleEditorAction(args: { request: Request; context: AppLoadContext; target: EditorTarget }) {
  try {
    return await answerEditorForm(args);
  } catch (error) {
    throw responseForDomainError(error);
  }
}

async function answerEditorForm({
  request,
  context,
  target,
}: {
  request: Request;
  context: AppLoadContext;
  target: EditorTarget;
}) {
  const form = await readEditorForm(request);
  if (!form.ok) {
    return data(
      {
        kind: "too-large",
        formKey: randomUUID(),
        message: form.message,
      } satisfies EditorActionData as EditorActionData,
      { status: 413 },
    );
  }
  const { values } = form;
  const member = await getUser(request, context);
  if (!member) {
    return data(
      {
        kind: "signed-out",
        formKey: randomUUID(),
        values,
        errors: [],
        preview: null,
        notice: null,
        type: target.kind === "new" ? target.type : target.item.type,
        status: target.kind === "new" ? "draft" : target.item.status,
      } satisfies EditorActionData as EditorActionData,
      { status: 401 },
    );
  }
  // Saving checks again; this turns away previews and uploads to an item the member may not change.
  const user = actorFrom(member);
  if (target.kind === "existing") await requireCanEditItem({ user, itemId: target.item.id });
  const intent = first(values, "intent");

  const rows = changeRows(values, intent);
  if (rows) return formReply({ values: rows, errors: [], preview: null, notice: null });

  if (intent === "upload-image") {
    const image = form.files.image;
    if (image?.tooLarge) {
      return formReply(
        {
          values,
          errors: [{ field: "image", message: "The image must be smaller than 5 MB" }],
          preview: null,
          notice: null,
        },
        400,
      );
    }
    const stored = await storeImage({
      bytes: image?.bytes ?? new Uint8Array(),
      alt: first(values, "image_alt"),
      caption: first(values, "image_caption"),
      userId: user.id,
    });
    if (!stored.ok) {
      return formReply(
        { values, errors: [{ field: stored.field, message: stored.message }], preview: null, notice: null },
        400,
      );
    }
    const body = first(values, "body").trimEnd();
    const next = {
      ...values,
      body: [`${body}${body ? "\n\n" : ""}${stored.markdown}\n`],
      image_alt: [""],
      image_caption: [""],
    };
    return formReply({
      values: next,
      errors: [],
      preview: null,
      notice: "Image added at the end of the body. Move its line to where it belongs.",
    });
  }

  if (target.kind === "existing" && intent === "reset-preview-link") {
    const { slug } = await resetPreviewLink({ itemId: target.item.id, user });
    return redirect(`${itemEditPath(slug)}?done=link-reset`);
  }

  if ((intent === "publish" || intent === "publish-now") && !(await isEmailConfirmed(db, { userId: user.id }))) {
    return formReply(
      { values, errors: [{ field: "body", message: CONFIRM_BEFORE_PUBLISHING }], preview: null, notice: null },
      400,
    );
  }

  if (target.kind === "existing" && (intent === "unpublish" || intent === "archive" || intent === "publish-now")) {
    const status: ItemStatus = intent === "unpublish" ? "draft" : intent === "archive" ? "archived" : "published";
    const { slug } = await changeItemStatus({ itemId: target.item.id, status, user });
    return redirect(status === "published" ? itemPath(slug) : `${itemEditPath(slug)}?done=${status}`);
  }

  if (intent === "preview") {
    const body = first(values, "body");
    try {
      const rendered = await previewItemBody({ slug: target.kind === "existing" ? target.item.slug : undefined, body });
      const errors: FieldError[] = [];
      try {
        requireDrawableCharts(rendered);
      } catch (error) {
        if (!(error instanceof ItemBodyProblem)) throw error;
        errors.push({ field: error.field, message: error.message });
      }
      return formReply({ values, errors, preview: { html: rendered.html }, notice: null });
    } catch (error) {
      const refused = bodyRefusal(error);
      if (!refused) throw error;
      return formReply({ values, errors: [refused.error], preview: null, notice: null }, refused.status);
    }
  }

  const status: ItemStatus =
    intent === "publish"
      ? "published"
      : intent === "save-draft"
        ? "draft"
        : target.kind === "existing"
          ? target.item.status
          : "draft";
  const type = target.kind === "new" ? target.type : target.item.type;
  const existingMeta = target.kind === "existing" ? target.item.meta : undefined;
  const parsed = parseItemForm(
    values,
    {
      type,
      status,
      authors: existingMeta?.authors ?? [
        { name: member.displayName, ...(member.organisation ? { organisation: member.organisation } : {}) },
      ],
      published: existingMeta?.published,
      licence: existingMeta?.licence,
    },
    BODY_MAX_LENGTH,
  );
  if (!parsed.ok) return formReply({ values, errors: parsed.errors, preview: null, notice: null }, 400);
  const note = first(values, "note").trim().slice(0, 300) || null;

  try {
    if (target.kind === "new") {
      const created = await createItemFromEditor({ meta: parsed.meta, body: parsed.body, user, note });
      return redirect(status === "published" ? itemPath(created.slug) : `${itemEditPath(created.slug)}?done=draft`);
    }
    return await saveEdit({ target, values, parsed, note, user, status });
  } catch (error) {
    const refused = bodyRefusal(error);
    if (!refused) throw error;
    return formReply({ values, errors: [refused.error], preview: null, notice: null }, refused.status);
  }
}

/** What stops a body being previewed or saved as it is, as the form shows it; undefined for anything else. */
function bodyRefusal(error: unknown): { error: FieldError; status: number } | undefined {
  if (error instanceof ItemBodyProblem) return { error: { field: error.field, message: error.message }, status: 400 };
  if (error instanceof RenderRefused)
    return { error: { field: "body", message: error.message }, status: error.reason === "busy" ? 503 : 422 };
  // The posting limit for new accounts.
  if (error instanceof DiscussionError) return { error: { field: "body", message: error.message }, status: 429 };
  return undefined;
}

async function saveEdit({
  target,
  values,
  parsed,
  note,
  user,
  status,
}: {
  target: { kind: "existing"; item: EditableItem };
  values: FormValues;
  parsed: Extract<ReturnType<typeof parseItemForm>, { ok: true }>;
  note: string | null;
  user: Actor;
  status: ItemStatus;
}) {
  const expectedVersion = Number(first(values, "version"));
  const outcome = await updateItemFromEditor({
    itemId: target.item.id,
    expectedVersion: Number.isInteger(expectedVersion) ? expectedVersion : -1,
    meta: parsed.meta,
    body: parsed.body,
    user,
    note,
  });
  if (outcome.kind === "conflict") {
    return data(
      {
        kind: "conflict",
        formKey: randomUUID(),
        values: { ...values, version: [String(outcome.current.version)] },
        errors: [],
        preview: null,
        notice: null,
        current: { ...outcome.current, diff: diffTexts(outcome.current.body, parsed.body) },
      } satisfies EditorActionData as EditorActionData,
      { status: 409 },
    );
  }
  return redirect(status === "published" ? itemPath(outcome.slug) : `${itemEditPath(outcome.slug)}?done=draft`);
}
