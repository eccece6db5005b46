import { useFetcher } from "@remix-run/react";
import { useEffect } from "react";

/** The body as it will look when published, redrawn by the server as the writer types. */
export function LivePreview({
  formRef,
  initialHtml,
  slug,
}: {
  formRef: React.RefObject<HTMLFormElement | null>;
  initialHtml: string | null;
  slug: string | undefined;
}) {
  const fetcher = useFetcher<{ html: string }>();
  const html = fetcher.data?.html ?? initialHtml;
  return (
    <section className="editor__preview" aria-labelledby="preview-heading" data-live-preview={fetcher.state}>
      <h2 id="preview-heading">Preview</h2>
      <p className="field__hint">This is how the body will look when published.</p>
      <PreviewRefresh
        formRef={formRef}
        submit={(body) =>
          fetcher.submit({ body, ...(slug ? { slug } : {}) }, { method: "post", action: "/resources/item-preview" })
        }
      />
      {html ? (
        <div className="prose" dangerouslySetInnerHTML={{ __html: html }} />
      ) : (
        <p>Start writing to see a preview.</p>
      )}
    </section>
  );
}

function PreviewRefresh({
  formRef,
  submit,
}: {
  formRef: React.RefObject<HTMLFormElement | null>;
  submit: (body: string) => void;
}) {
  useEffect(() => {
    const form = formRef.current;
    const body = form?.elements.namedItem("body");
    if (!(body instanceof HTMLTextAreaElement)) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = "";
    const refresh = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (body.value === last) return;
        last = body.value;
        submit(body.value);
      }, 400);
    };
    refresh();
    body.addEventListener("input", refresh);
    return () => {
      clearTimeout(timer);
      body.removeEventListener("input", refresh);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [formRef]);
  return null;
}
