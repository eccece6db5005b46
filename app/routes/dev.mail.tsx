import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { getEnv } from "~/env.server";
import { summariseMailFiles } from "~/mail/mail-files.server";
import { formatDateTime } from "~/utils/dates";
import { pageMeta } from "~/utils/meta";

// Development only: the messages written to files because SMTP_URL is unset. Never served otherwise.
export async function loader() {
  const env = getEnv();
  if (env.NODE_ENV !== "development") throw new Response("Not found", { status: 404 });
  return { directory: env.MAIL_DIRECTORY, messages: await summariseMailFiles(env.MAIL_DIRECTORY) };
}

export default function DevMailRoute() {
  const { directory, messages } = useLoaderData<typeof loader>();
  return (
    <div className="prose-page">
      <p className="eyebrow">Development</p>
      <h1>Mail written to files</h1>
      <p className="lede">
        SMTP_URL is not set, so nothing is delivered: each message is written to <code>{directory}</code>. Newest first.
      </p>
      {messages.length === 0 ? (
        <p>No messages yet.</p>
      ) : (
        <ul>
          {messages.map((message) => (
            <li key={message.file}>
              <Link to={`/dev/mail/${message.file}`}>{message.subject}</Link> to {message.to}
              {message.date ? `, ${formatDateTime(message.date)}` : ""}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const meta: MetaFunction = () => pageMeta({ title: "Mail written to files", description: "Development mail." });
