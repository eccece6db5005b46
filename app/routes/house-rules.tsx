import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

import { SitePage } from "~/components/site-page";
import { getSitePage } from "~/models/site-page.server";
import { pageMeta } from "~/utils/meta";

export function loader() {
  return getSitePage({ slug: "house-rules" });
}

export default function Page() {
  return <SitePage page={useLoaderData<typeof loader>()} />;
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta({ title: data?.title ?? "Page", description: data?.description ?? "" });
