import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

import { ThemeCards } from "~/components/theme-cards";
import { listLibrary } from "~/models/item.server";
import { pageMeta } from "~/utils/meta";

export async function loader() {
  const { facets } = await listLibrary({ filters: {}, page: 1, perPage: 1 });
  const counts = Object.fromEntries(facets.theme.map((f) => [f.value, f.count]));
  return { counts };
}

export default function Themes() {
  const { counts } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Themes</h1>
      <p className="lede">
        The Procurement Act 2023 asks buyers to think upstream, downstream and in partnership. Every item in the library
        carries one or more of these themes.
      </p>
      <ThemeCards headingLevel={2} counts={counts} />
    </>
  );
}

export const meta: MetaFunction = (context) =>
  pageMeta({
    context,
    title: "Themes",
    description: "Upstream, downstream and partnership: the three themes of the library.",
  });
