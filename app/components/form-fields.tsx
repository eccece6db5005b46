import { type ReactNode, useEffect, useRef } from "react";

type FieldProps = {
  name: string;
  label: string;
  hint?: ReactNode;
  error?: string;
};

function describedBy(name: string, hint: unknown, error: unknown) {
  const ids = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

function FieldShell({ name, label, hint, error, children }: FieldProps & { children: ReactNode }) {
  return (
    <div className={error ? "field field--error" : "field"}>
      <label className="field__label" htmlFor={name}>
        {label}
      </label>
      {hint ? (
        <p className="field__hint" id={`${name}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={`${name}-error`}>
          <span className="visually-hidden">Error:</span> {error}
        </p>
      ) : null}
      {children}
    </div>
  );
}

export function TextField({
  name,
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
  type?: "text" | "email" | "password";
  autoComplete?: string;
  required?: boolean;
  maxLength?: number;
}) {
  return (
    <FieldShell name={name} label={label} hint={hint} error={error}>
      <input
        className="field__input"
        id={name}
        name={name}
        type={type}
        defaultValue={type === "password" ? undefined : (defaultValue ?? undefined)}
        autoComplete={autoComplete}
        required={required}
        maxLength={maxLength}
        spellCheck={type === "text" ? undefined : false}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, hint, error)}
      />
    </FieldShell>
  );
}

export function TextAreaField({
  name,
  label,
  hint,
  error,
  defaultValue,
  maxLength,
}: FieldProps & { defaultValue?: string | null; maxLength?: number }) {
  return (
    <FieldShell name={name} label={label} hint={hint} error={error}>
      <textarea
        className="field__input field__input--textarea"
        id={name}
        name={name}
        rows={6}
        defaultValue={defaultValue ?? undefined}
        maxLength={maxLength}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, hint, error)}
      />
    </FieldShell>
  );
}

export function SelectField({
  name,
  label,
  hint,
  error,
  defaultValue,
  options,
  emptyLabel = "Choose one (optional)",
}: FieldProps & { defaultValue?: string | null; options: Readonly<Record<string, string>>; emptyLabel?: string }) {
  return (
    <FieldShell name={name} label={label} hint={hint} error={error}>
      <select
        className="field__input field__input--select"
        id={name}
        name={name}
        defaultValue={defaultValue ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, hint, error)}
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
