import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { getUser } from "~/auth/session.server";
import { actorFrom, hasRole } from "~/models/actor.server";
import { listCommunities } from "~/models/community.server";
import { COMMUNITY_KINDS, type CommunityKind } from "~/models/discussion-vocabulary";
import { responseForDomainError } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";
import { communityPath } from "~/utils/paths";

export async function loader({ request, context }: LoaderFunctionArgs) {
  try {
    const user = actorFrom(await getUser(request, context));
    const communities = await listCommunities({ viewer: user });
    return { communities, canCreate: hasRole(user, "moderator"), isSignedIn: user !== null };
  } catch (error) {
    throw responseForDomainError(error);
  }
}

export default function Communities() {
  const { communities, canCreate, isSignedIn } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Communities</h1>
      <p className="lede">
        Practitioners comparing notes by region, sector and topic. Ask a question, share a template, or check how
        someone else handled a UK9.
      </p>
      {canCreate ? (
        <p>
          <Link className="button" to="/communities/new">
            Create a community
          </Link>
        </p>
      ) : null}
      {(Object.keys(COMMUNITY_KINDS) as CommunityKind[]).map((kind) => {
        const ofKind = communities.filter((community) => community.kind === kind);
        if (ofKind.length === 0) return null;
        return (
          <section key={kind} aria-labelledby={`kind-${kind}`}>
            <h2 id={`kind-${kind}`}>{kind === "region" ? "Regions" : kind === "sector" ? "Sectors" : "Topics"}</h2>
            <ul className="community-cards">
              {ofKind.map((community) => (
                <li key={community.id} className="community-card">
                  <h3>
                    <Link to={communityPath(community.slug)}>{community.name}</Link>
                  </h3>
                  <p>{community.description}</p>
                  <p className="community-card__meta">
                    {community.visibility === "members" ? <strong className="badge">Members only</strong> : null}{" "}
                    {community.memberCount} {community.memberCount === 1 ? "member" : "members"}
                    {community.visibility === "open" || community.isMember
                      ? ` · ${community.threadCount} ${community.threadCount === 1 ? "thread" : "threads"}`
                      : null}
                    {community.isMember ? " · You are a member" : null}
                  </p>
                  {isSignedIn && !community.isMember && community.visibility === "members" && !canCreate ? (
                    <Link className="button button--secondary" to={communityPath(community.slug)}>
                      Ask to join<span className="visually-hidden"> {community.name}</span>
                    </Link>
                  ) : isSignedIn && !community.isMember ? (
                    <Form method="post" action={communityPath(community.slug)}>
                      <input type="hidden" name="intent" value="join" />
                      <button type="submit" className="button button--secondary">
                        Join<span className="visually-hidden"> {community.name}</span>
                      </button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}

export const meta: MetaFunction = () =>
  pageMeta({
    title: "Communities",
    description: "Communities of practice for UK public procurement, by region, sector and topic.",
  });
