import type { MetaDescriptor } from "@remix-run/node";

export const SITE_NAME = "Procurement Commons";

/** Title and description for a page; every route's meta goes through here. */
export function pageMeta({ title, description }: { title?: string; description: string }): MetaDescriptor[] {
  return [
    { title: title ? `${title} | ${SITE_NAME}` : SITE_NAME },
    { name: "description", content: description },
  ];
}
