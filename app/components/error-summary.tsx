import { type ReactNode, useEffect, useRef } from "react";

import type { ReadReply } from "~/utils/forms";

export type Problem = {
  message: ReactNode;
  key?: string;
  /** "#id" of the field to fix; without it the problem is plain text. */ href?: string;
};

/**
 * The GOV.UK error summary at the top of a form: every problem links to its field, and the summary
 * takes focus when it appears (and after each further failed submission, given as `submission`)
 * so screen readers announce it and keyboards start there.
 */
export function ErrorSummary({
  problems,
  title = "There is a problem",
  submission,
  children,
}: {
  problems: Problem[];
  title?: string;
  submission?: unknown;
  children?: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const shown = problems.length > 0 || children !== undefined;
  useEffect(() => {
    if (shown) ref.current?.focus();
  }, [shown, submission]);
  if (!shown) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} ref={ref}>
      <h2 id="error-summary-title" className="error-summary__title">
        {title}
      </h2>
      {children}
      {problems.length > 0 ? (
        <ul className="error-summary__list">
          {problems.map((problem, index) => (
            <li key={problem.key ?? (problem.href ? `${problem.href}:${index}` : index)}>
              {problem.href ? (
                <a href={problem.href} onClick={(event) => focusField(event, problem.href!)}>
                  {problem.message}
                </a>
              ) : (
                problem.message
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

// As GOV.UK does: move focus to the field itself, not just scroll to it.
function focusField(event: React.MouseEvent<HTMLAnchorElement>, href: string) {
  const target = document.getElementById(href.slice(1));
  if (!target) return;
  event.preventDefault();
  target.scrollIntoView({ block: "center" });
  target.focus();
}

/**
 * The summary's problems from a form reply: each field's first message, linked to the field. The
 * same message for the same place ("themes[0]" and "themes[1]" both at #themes) is listed once.
 */
export function replyProblems(
  reply: ReadReply,
  hrefFor: (field: string) => string | undefined = (field) => (field === "form" ? undefined : `#${field}`),
): Problem[] {
  const listed = new Set<string>();
  return Object.entries(reply.fieldErrors()).flatMap(([field, message]) => {
    const href = hrefFor(field);
    const place = `${href ?? field}\n${message}`;
    if (listed.has(place)) return [];
    listed.add(place);
    return [{ key: field, message, href }];
  });
}
