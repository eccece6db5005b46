import { Parser } from "htmlparser2";

export type PageForm = {
  /** The page the form was found on. */
  page: string;
  action: string;
  method: string;
  enctype: string;
  /** Hidden and pre-filled fields, sent as they are (intent, CSRF token, ids). */
  fields: Record<string, string>;
  textareas: string[];
  /** Each <select>'s option values, in order (the first is often an empty "Choose one"). */
  selects: Record<string, string[]>;
  /** Each checkbox group's values. */
  checkboxes: Record<string, string[]>;
  /** Named submit buttons: a browser sends only the one pressed. */
  buttons: { name: string; value: string }[];
};

/** Every form on a page, as a browser would submit it. */
export function formsIn(html: string, page: string): PageForm[] {
  const forms: PageForm[] = [];
  let current: PageForm | null = null;
  let select: string | null = null;
  new Parser({
    onopentag(name, attributes) {
      if (name === "form") {
        current = {
          page,
          action:
            new URL(attributes.action ?? "", new URL(page, "http://x")).pathname +
            new URL(attributes.action ?? "", new URL(page, "http://x")).search,
          method: (attributes.method ?? "get").toLowerCase(),
          enctype: (attributes.enctype ?? "application/x-www-form-urlencoded").toLowerCase(),
          fields: {},
          textareas: [],
          selects: {},
          checkboxes: {},
          buttons: [],
        };
        forms.push(current);
      } else if (
        current &&
        name === "input" &&
        attributes.name &&
        !["submit", "checkbox", "radio", "file"].includes(attributes.type ?? "")
      ) {
        current.fields[attributes.name] = attributes.value ?? "";
      } else if (current && name === "input" && attributes.name && attributes.type === "checkbox") {
        (current.checkboxes[attributes.name] ??= []).push(attributes.value ?? "on");
      } else if (current && name === "select" && attributes.name) {
        select = attributes.name;
        current.selects[select] = [];
      } else if (current && name === "option" && select) {
        current.selects[select]!.push(attributes.value ?? "");
      } else if (current && name === "button" && attributes.name && attributes.value) {
        current.fields[attributes.name] = attributes.value;
        current.buttons.push({ name: attributes.name, value: attributes.value });
      } else if (current && name === "textarea" && attributes.name) {
        current.textareas.push(attributes.name);
      }
    },
    onclosetag(name) {
      if (name === "form") current = null;
      if (name === "select") select = null;
    },
  }).end(html);
  return forms;
}

/**
 * Submits a form as a browser would: its hidden and pre-filled fields, the given values on top,
 * the pressed button, url-encoded or multipart as the form says, from the site's own origin.
 */
export async function submitForm(
  baseUrl: string,
  form: PageForm,
  {
    cookie,
    origin,
    values = {},
    button,
  }: {
    cookie: string;
    origin: string;
    values?: Record<string, string | string[]>;
    button?: { name: string; value: string };
  },
) {
  const entries: [string, string][] = Object.entries(form.fields).filter(
    ([name]) => !(name in values) && name !== button?.name,
  );
  for (const [name, value] of Object.entries(values))
    for (const one of Array.isArray(value) ? value : [value]) entries.push([name, one]);
  if (button) entries.push([button.name, button.value]);
  let body: URLSearchParams | FormData;
  if (form.enctype === "multipart/form-data") {
    body = new FormData();
    for (const [name, value] of entries) body.append(name, value);
  } else {
    body = new URLSearchParams(entries);
  }
  return fetch(new URL(form.action, baseUrl), {
    method: "POST",
    body,
    redirect: "manual",
    headers: { cookie, origin },
  });
}
