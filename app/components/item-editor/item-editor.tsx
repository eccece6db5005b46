import { Form } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";

import { type FieldError, fieldId, first, type FormValues } from "~/models/item-form";
import { ITEM_TYPES, type ItemStatus, type ItemType } from "~/models/vocabulary";

import { ErrorSummary } from "../error-summary";
import { ConflictPanel, type ConflictVersion } from "./edit-conflict";
import { ItemFormFields } from "./item-form-fields";
import { LivePreview } from "./live-preview";
import { useBrowserDraft } from "./use-browser-draft";

export type ItemEditorProps = {
  type: ItemType;
  mode: "new" | "existing";
  status: ItemStatus;
  version: number | null;
  values: FormValues;
  errors: FieldError[];
  preview: { html: string } | null;
  notice: string | null;
  formKey: string;
  signedOut: boolean;
  conflict: ConflictVersion | null;
  /** Where autosaved text is kept in this browser. */
  storageKey: string;
  /** The item being edited, so the preview draws its charts from the item's datasets. */
  slug?: string;
};

export function ItemEditor(props: ItemEditorProps) {
  const { type, mode, status, version, values, errors, preview, notice, signedOut, conflict, formKey, storageKey } =
    props;
  const formRef = useRef<HTMLFormElement>(null);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const draft = useBrowserDraft(formRef, storageKey, version);

  const saving = (
    <div className="editor__actions">
      <button type="submit" name="intent" value="preview" className="button button--secondary">
        Preview
      </button>
      {status === "published" && mode === "existing" ? (
        <button type="submit" name="intent" value="save" className="button">
          Save changes
        </button>
      ) : (
        <>
          <button type="submit" name="intent" value="save-draft" className="button button--secondary">
            Save draft
          </button>
          <button type="submit" name="intent" value="publish" className="button">
            Publish
          </button>
        </>
      )}
    </div>
  );

  return (
    <div className={`editor${hydrated ? " editor--live" : ""}`}>
      {signedOut ? (
        <div className="notice notice--warning" role="alert">
          <h2>Your session has ended: sign in again to save</h2>
          <p>
            Nothing you typed has been lost: it is all still in the form below.{" "}
            <a href="/sign-in" target="_blank" rel="noopener">
              Sign in again (opens in a new tab)
            </a>
            , then come back to this tab and press your save button again.
          </p>
        </div>
      ) : null}
      {conflict ? <ConflictPanel conflict={conflict} /> : null}
      {errors.length > 0 ? (
        <ErrorSummary
          problems={errors.map((error) => ({
            key: error.field,
            message: error.message,
            href: `#${fieldId(error.field)}`,
          }))}
          submission={errors}
        >
          <p>Nothing has been saved yet. Everything you typed is still here.</p>
        </ErrorSummary>
      ) : null}
      {notice ? (
        <div className="notice" role="status">
          <p>{notice}</p>
        </div>
      ) : null}
      {draft.offer ? (
        <div className="notice notice--warning" role="region" aria-label="Unsaved text">
          <p>This browser kept text you had not saved, from {new Date(draft.offer.savedAt).toLocaleString("en-GB")}.</p>
          <button type="button" className="button" onClick={draft.restore}>
            Restore unsaved text
          </button>{" "}
          <button type="button" className="button button--secondary" onClick={draft.discard}>
            Discard it
          </button>
        </div>
      ) : null}

      <div className="editor__layout">
        <Form
          method="post"
          encType="multipart/form-data"
          key={formKey}
          ref={formRef}
          className="editor__form"
          noValidate
          onInput={draft.schedule}
          onChange={draft.schedule}
          onSubmit={(event) => {
            const submitter = (event.nativeEvent as SubmitEvent).submitter;
            const intent = submitter instanceof HTMLButtonElement ? submitter.value : "";
            if (["save", "save-draft", "publish"].includes(intent)) draft.clear();
          }}
        >
          {/* Enter in a text box previews rather than saving or removing a row. */}
          <button type="submit" name="intent" value="preview" hidden tabIndex={-1}>
            Preview
          </button>
          {version !== null ? (
            <input type="hidden" name="version" value={first(values, "version") || String(version)} />
          ) : null}
          <p className="editor__type">{ITEM_TYPES[type]}</p>
          <ItemFormFields type={type} mode={mode} values={values} errors={errors} />
          {saving}
          <p className="editor__autosave" role="status" aria-live="polite">
            {draft.status}
          </p>
        </Form>
        {hydrated ? (
          <LivePreview formRef={formRef} initialHtml={preview?.html ?? null} slug={props.slug} />
        ) : preview ? (
          <section className="editor__preview" aria-labelledby="preview-heading">
            <h2 id="preview-heading">Preview</h2>
            <p className="field__hint">This is how the body will look when published. Nothing has been saved yet.</p>
            <div className="prose" dangerouslySetInnerHTML={{ __html: preview.html }} />
          </section>
        ) : null}
      </div>
    </div>
  );
}
