import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { requireRole } from "~/auth/session.server";
import { MODERATION_ACTION_LABELS } from "~/models/discussion-vocabulary";
import { listModerationLog } from "~/models/moderation.server";
import { formatDateTime } from "~/utils/dates";
import { responseForDomainError } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";

export async function loader({ request, context }: LoaderFunctionArgs) {
  try {
    await requireRole(request, context, "moderator");
    return { entries: await listModerationLog() };
  } catch (error) {
    throw responseForDomainError(error);
  }
}

export default function ModerationLog() {
  const { entries } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="eyebrow">
        <Link to="/moderation">Moderation queue</Link>
      </p>
      <h1>Moderation log</h1>
      <p className="lede">Every moderator action: who, what, when and why. Newest first.</p>
      {entries.length === 0 ? (
        <p className="empty-state">No moderator actions yet.</p>
      ) : (
        <div className="table-wrap" role="region" tabIndex={0} aria-label="Moderation log">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td>
                    <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt)}</time>
                  </td>
                  <td>{entry.moderatorName ?? "A former moderator"}</td>
                  <td>
                    {MODERATION_ACTION_LABELS[entry.action] ?? entry.action} ({entry.targetType} {entry.targetId})
                  </td>
                  <td>{entry.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export const meta: MetaFunction = () =>
  pageMeta({ title: "Moderation log", description: "The audit log of moderator actions." });
