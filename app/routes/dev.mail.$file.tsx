import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { getEnv } from "~/env.server";
import { readMailFile } from "~/mail/mail-files.server";
import { pageMeta } from "~/utils/meta";

export async function loader({ params, request }: LoaderFunctionArgs) {
  const env = getEnv();
  if (env.NODE_ENV !== "development") throw new Response("Not found", { status: 404 });
  const message = await readMailFile(env.MAIL_DIRECTORY, params.file ?? "");
  if (!message) throw new Response("Not found", { status: 404 });
  if (new URL(request.url).searchParams.has("raw"))
    return new Response(message.raw, { headers: { "Content-Type": "message/rfc822" } });
  const { raw: _raw, ...shown } = message;
  return { ...shown, file: params.file! };
}

export default function DevMailMessageRoute() {
  const message = useLoaderData<typeof loader>() as Exclude<Awaited<ReturnType<typeof loader>>, Response>;
  return (
    <div className="prose-page">
      <p className="eyebrow">
        <Link to="/dev/mail">Mail written to files</Link>
      </p>
      <h1>{message.subject}</h1>
      <dl>
        <dt>From</dt>
        <dd>{message.from}</dd>
        <dt>To</dt>
        <dd>{message.to}</dd>
        {message.listUnsubscribe ? (
          <>
            <dt>List-Unsubscribe</dt>
            <dd>{message.listUnsubscribe}</dd>
          </>
        ) : null}
      </dl>
      <h2>Links</h2>
      <ul>
        {message.links.map((href) => (
          <li key={href}>
            <a href={href}>{href}</a>
          </li>
        ))}
      </ul>
      <h2>Plain text</h2>
      <pre>{message.text}</pre>
      <p>
        <a href={`/dev/mail/${message.file}?raw`}>The whole message (.eml)</a>
      </p>
    </div>
  );
}

export const meta: MetaFunction = () =>
  pageMeta({ title: "A message written to a file", description: "Development mail." });
