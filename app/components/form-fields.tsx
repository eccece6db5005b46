import { type ReactNode, useEffect, useRef } from "react";

type FieldProps = {
  name: string;
  /** The control's id, when a page has several fields of one name (one form per post); the name otherwise. */
  id?: string;
  label: string;
  hint?: ReactNode;
  error?: string;
};

/** The aria-describedby for a field with this hint and error. */
function describedBy(id: string, hint: unknown, error: unknown) {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

/**
 * A field's messages, as GOV.UK writes them: each prefixed "Error:" for screen readers, with the
 * id the field's aria-describedby points at.
 */
export function ErrorList({ id, messages }: { id: string; messages: readonly (string | undefined | null)[] }) {
  const shown = messages.filter((message): message is string => Boolean(message));
  if (shown.length === 0) return null;
  return (
    <p className="field__error" id={id}>
      {shown.map((message, index) => (
        <span key={index} className="field__error-message">
          <span className="visually-hidden">Error:</span> {message}
        </span>
      ))}
    </p>
  );
}

/** The label, hint and error around any control; for controls the kit has no component for. */
function FieldShell({
  id,
  label,
  hint,
  error,
  children,
}: Omit<FieldProps, "name"> & { id: string; children: ReactNode }) {
  return (
    <div className={error ? "field field--error" : "field"}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <ErrorList id={`${id}-error`} messages={[error]} />
      {children}
    </div>
  );
}

export function Field({
  name,
  id = name,
  label,
  hint,
  error,
  defaultValue,
  type = "text",
  autoComplete,
  required = false,
  maxLength,
}: FieldProps & {
  defaultValue?: string | null;
  type?: "text" | "email" | "password" | "url";
  autoComplete?: string;
  required?: boolean;
  maxLength?: number;
}) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      <input
        className="field__input"
        id={id}
        name={name}
        type={type}
        defaultValue={type === "password" ? undefined : (defaultValue ?? undefined)}
        autoComplete={autoComplete}
        required={required}
        maxLength={maxLength}
        spellCheck={type === "text" ? undefined : false}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </FieldShell>
  );
}

export function TextareaField({
  name,
  id = name,
  label,
  hint,
  error,
  defaultValue,
  maxLength,
  rows = 6,
}: FieldProps & { defaultValue?: string | null; maxLength?: number; rows?: number }) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      <textarea
        className="field__input field__input--textarea"
        id={id}
        name={name}
        rows={rows}
        defaultValue={defaultValue ?? undefined}
        maxLength={maxLength}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </FieldShell>
  );
}

/** A file chooser; the form must be sent as multipart/form-data. */
export function FileField({ name, id = name, label, hint, error, accept }: FieldProps & { accept?: string }) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      <input
        className="field__input field__input--file"
        id={id}
        name={name}
        type="file"
        accept={accept}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </FieldShell>
  );
}

export function SelectField({
  name,
  id = name,
  label,
  hint,
  error,
  defaultValue,
  options,
  emptyLabel = "Choose one (optional)",
}: FieldProps & { defaultValue?: string | null; options: Readonly<Record<string, string>>; emptyLabel?: string }) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      <select
        className="field__input field__input--select"
        id={id}
        name={name}
        defaultValue={defaultValue ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
        <option value="">{emptyLabel}</option>
        {Object.entries(options).map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

/**
 * After each submission answered with errors (with JavaScript on): empty the password fields, as
 * a full page load would. The ErrorSummary moves focus to itself.
 */
export function useFormFeedback(actionData: unknown) {
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!actionData) return;
    for (const input of formRef.current?.querySelectorAll<HTMLInputElement>('input[type="password"]') ?? [])
      input.value = "";
  }, [actionData]);
  return formRef;
}
