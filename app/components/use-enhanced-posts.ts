import { useNavigate, useSubmit } from "@remix-run/react";
import { type FormEvent, type MouseEvent, useCallback } from "react";

/**
 * A long thread has thousands of links and small forms; rather than a router-aware component for
 * each, posts render plain <a data-nav> and <form data-enhance>, and one handler here sends them
 * through Remix when JavaScript is running. Without JavaScript they are ordinary links and forms.
 */
export function useEnhancedPosts() {
  const navigate = useNavigate();
  const submit = useSubmit();
  const onClick = useCallback(
    (event: MouseEvent<HTMLElement>) => {
      if (
        event.defaultPrevented ||
        event.button !== 0 ||
        event.metaKey ||
        event.ctrlKey ||
        event.shiftKey ||
        event.altKey
      )
        return;
      const link = (event.target as HTMLElement).closest<HTMLAnchorElement>("a[data-nav]");
      if (!link) return;
      event.preventDefault();
      navigate(link.getAttribute("href")!, { preventScrollReset: true });
    },
    [navigate],
  );
  const onSubmit = useCallback(
    (event: FormEvent<HTMLElement>) => {
      const form = event.target as HTMLFormElement;
      if (event.defaultPrevented || !form.matches("form[data-enhance]")) return;
      event.preventDefault();
      const submitter = (event.nativeEvent as SubmitEvent).submitter;
      submit(submitter instanceof HTMLButtonElement && submitter.name ? submitter : form, {
        method: "post",
        preventScrollReset: true,
      });
    },
    [submit],
  );
  return { onClick, onSubmit };
}
