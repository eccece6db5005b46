import { type ReactNode, useEffect, useId, useRef, useState } from "react";

// The field kit, in GOV.UK's pattern: a label (or a legend for a group), an optional hint, the
// field's messages prefixed "Error:", then the control, which names the hint and messages in its
// aria-describedby and says aria-invalid while it has a message.

type FieldProps = {
  name: string;
  /**
   * The control's id, where it cannot be its name (a name like `outcomes[0].measure`); the hint's
   * and the message's ids start with it, and the error summary links to it.
   */
  id?: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  /** Says "(optional)" after the label: GOV.UK marks the fields that may be left empty. */
  optional?: boolean;
};

type Pairs = readonly (readonly [value: string, text: string])[];
/** Choices in the order shown: a vocabulary record, or value and text pairs (a record puts number-like keys first). */
type Options = Readonly<Record<string, string>> | Pairs;

// Array.isArray does not narrow a readonly array.
const isPairs = (options: Options): options is Pairs => Array.isArray(options);
const entriesOf = (options: Options): Pairs => (isPairs(options) ? options : Object.entries(options));

/** The aria-describedby for a control with this hint and message, and any further descriptions. */
function describedBy(id: string, hint: unknown, error: unknown, ...more: string[]) {
  const ids = [hint ? `${id}-hint` : null, ...more, error ? `${id}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

function LabelText({ label, optional }: { label: ReactNode; optional?: boolean }) {
  return (
    <>
      {label}
      {optional ? <span className="field-optional"> (optional)</span> : null}
    </>
  );
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

/** The label, hint and error around one control. */
function FieldShell({
  id,
  label,
  hint,
  error,
  optional,
  children,
}: Omit<FieldProps, "name"> & { id: string; children: ReactNode }) {
  return (
    <div className={error ? "field field--error" : "field"}>
      <label className="field__label" htmlFor={id}>
        <LabelText label={label} optional={optional} />
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
  optional,
  defaultValue,
  type = "text",
  inputMode,
  autoComplete,
  required = false,
  maxLength,
}: FieldProps & {
  defaultValue?: string | null;
  /** "date" is the browser's date picker; its value is always yyyy-mm-dd. */
  type?: "text" | "email" | "password" | "url" | "date";
  inputMode?: "decimal" | "numeric";
  autoComplete?: string;
  required?: boolean;
  maxLength?: number;
}) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} optional={optional}>
      <input
        className="field__input"
        id={id}
        name={name}
        type={type}
        inputMode={inputMode}
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
  optional,
  defaultValue,
  maxLength,
  rows = 6,
}: FieldProps & { defaultValue?: string | null; maxLength?: number; rows?: number }) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} optional={optional}>
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

/**
 * A textarea that counts down to its limit, as GOV.UK's character count does. The limit is told,
 * not enforced: a longer text can still be typed or pasted, then cut down, and the server says no.
 */
export function CharacterCountField({
  name,
  id = name,
  label,
  hint,
  error,
  optional,
  defaultValue,
  limit,
  rows = 3,
}: FieldProps & { defaultValue?: string | null; limit: number; rows?: number }) {
  const [length, setLength] = useState((defaultValue ?? "").length);
  const remaining = limit - length;
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} optional={optional}>
      <textarea
        className="field__input field__input--textarea"
        id={id}
        name={name}
        rows={rows}
        defaultValue={defaultValue ?? undefined}
        onChange={(event) => setLength(event.currentTarget.value.length)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error, `${id}-count`)}
      />
      <p
        className={`character-count${remaining < 0 ? " character-count--over" : ""}`}
        id={`${id}-count`}
        aria-live="polite"
      >
        {remaining >= 0
          ? `You have ${remaining} character${remaining === 1 ? "" : "s"} remaining`
          : `You have ${-remaining} character${remaining === -1 ? "" : "s"} too many`}
      </p>
    </FieldShell>
  );
}

/** A file chooser; the form must be sent as multipart/form-data. */
export function FileField({ name, id = name, label, hint, error, optional, accept }: FieldProps & { accept?: string }) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} optional={optional}>
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
  optional,
  defaultValue,
  options,
  emptyLabel = "Choose one (optional)",
}: FieldProps & {
  defaultValue?: string | null;
  options: Options;
  /** The first choice, meaning none; null when one of the options must be chosen and one always is. */
  emptyLabel?: string | null;
}) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} optional={optional}>
      <select
        className="field__input field__input--select"
        id={id}
        name={name}
        defaultValue={defaultValue ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
        {emptyLabel === null ? null : <option value="">{emptyLabel}</option>}
        {entriesOf(options).map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

type GroupProps = Omit<FieldProps, "label" | "name"> & { legend: string };

/**
 * One question answered by several controls (checkboxes, radios, the cells of a row): a fieldset
 * whose legend asks it, with the hint and messages described for the whole group. The hint's and
 * message's ids start with `id`; the fieldset itself carries `id` only when `isLinkTarget`, for a
 * group whose problems no single control can fix (otherwise the first control has it).
 */
export function FieldGroup({
  id,
  legend,
  hint,
  error,
  optional,
  isLinkTarget = false,
  className,
  children,
}: GroupProps & { id: string; isLinkTarget?: boolean; className?: string; children: ReactNode }) {
  return (
    <fieldset
      className={["field", className, error ? "field--error" : null].filter(Boolean).join(" ")}
      id={isLinkTarget ? id : undefined}
      aria-describedby={describedBy(id, hint, error)}
    >
      <legend className="field__label">
        <LabelText label={legend} optional={optional} />
      </legend>
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <ErrorList id={`${id}-error`} messages={[error]} />
      {children}
    </fieldset>
  );
}

/** Checkboxes or radios: the first choice has the group's id, so the error summary lands on it, the rest `${id}-${value}`. */
function Choices({
  type,
  name,
  id = name,
  options,
  isChecked,
  ...group
}: GroupProps & { type: "checkbox" | "radio"; name: string; options: Options; isChecked: (value: string) => boolean }) {
  return (
    <FieldGroup id={id} className={type === "checkbox" ? "checkboxes" : "radios"} {...group}>
      {entriesOf(options).map(([value, text], index) => {
        const optionId = index === 0 ? id : `${id}-${value}`;
        return (
          <div className={type} key={value}>
            <input type={type} id={optionId} name={name} value={value} defaultChecked={isChecked(value)} />
            <label htmlFor={optionId}>{text}</label>
          </div>
        );
      })}
    </FieldGroup>
  );
}

export function CheckboxesField({
  defaultValues = [],
  ...props
}: GroupProps & { name: string; options: Options; defaultValues?: readonly string[] }) {
  return <Choices type="checkbox" isChecked={(value) => defaultValues.includes(value)} {...props} />;
}

export function RadiosField({
  defaultValue,
  ...props
}: GroupProps & { name: string; options: Options; defaultValue?: string | null }) {
  return <Choices type="radio" isChecked={(value) => value === defaultValue} {...props} />;
}

/** Related fields under one legend (a section of a form); its hint describes the whole group. */
export function Fieldset({
  legend,
  hint,
  optional,
  className = "fieldset",
  children,
}: {
  legend: string;
  hint?: ReactNode;
  optional?: boolean;
  className?: string;
  children: ReactNode;
}) {
  const hintId = useId();
  return (
    <fieldset className={className} aria-describedby={hint ? hintId : undefined}>
      <legend className="fieldset__legend">
        <LabelText label={legend} optional={optional} />
      </legend>
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {children}
    </fieldset>
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
