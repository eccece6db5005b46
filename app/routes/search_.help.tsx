import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";

import { pageMeta } from "~/utils/meta";

const EXAMPLES: Array<[string, string]> = [
  ["social value", "Items about social value or either word; the best matches first. Titles count most."],
  ["procure", "Also finds procurement, procuring and procured: words are matched by their stem."],
  ["procurment", "One typo is forgiven in words of five letters or more that nothing you can read uses."],
  ["transpar*", "Words starting with transpar: transparency, transparent."],
  ["title:standstill", "Only where the title mentions standstill. Also summary:, body:, tag: and author:."],
  ["+uk9 +kpi", "Both words must appear."],
  ["net zero -fleet", "Leave out anything that mentions fleet."],
  ['"most suitable provider"', "Words in quotes must appear side by side, in that order."],
  [
    "CFP",
    "Also finds competitive flexible procedure (and the other way round): acronyms and notice codes such as UK6 are searched with what they stand for.",
  ],
  ["net-zero", "The same as net zero: hyphens and spaces between words count alike."],
];

export default function SearchHelp() {
  return (
    <div className="prose">
      <h1>How search works</h1>
      <p className="lede">
        Search looks through every published case study, tip and data story (titles, summaries, the full text, themes,
        tags, authors and structured details such as procedure or organisation type), the discussions in open
        communities, and, once you are signed in, the discussions in the members-only communities you belong to. Nobody
        else finds those.
      </p>
      <h2>What you can type</h2>
      <table>
        <caption className="visually-hidden">Search examples</caption>
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">To find</th>
          </tr>
        </thead>
        <tbody>
          {EXAMPLES.map(([query, meaning]) => (
            <tr key={query}>
              <td>
                <Link to={`/search?q=${encodeURIComponent(query)}`}>
                  <code>{query}</code>
                </Link>
              </td>
              <td>{meaning}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Narrowing down</h2>
      <p>
        Use the filters beside the results to choose items or discussions, a type, theme, tag, organisation type,
        procedure or contract value. Each filter shows how many results it would leave, and filters combine with your
        search and with each other. Sort by best match or newest first. Every search and filter is part of the web
        address, so you can bookmark or share it.
      </p>
      <h2>Good to know</h2>
      <ul>
        <li>Capital letters and accents do not matter. Very common words such as “the” are ignored.</li>
        <li>
          Long searches are cut to the first 12 words. Anything you type is safe to search for: characters search does
          not use are simply ignored.
        </li>
        <li>Every word of every item and discussion is searched, however often or rarely it is used.</li>
        <li>New and edited items appear in search within a second of being published.</li>
      </ul>
      <p>
        <Link to="/search">Back to search</Link>
      </p>
    </div>
  );
}

export const meta: MetaFunction = () =>
  pageMeta({
    title: "How search works",
    description: "What you can type into Procurement Commons search, with examples.",
  });
