import { describe, expect, it } from "vitest";

import { createItemInEditor, retitleItem } from "../factories/items";
import { createUser, sessionCookieFor } from "../factories/users";
import { httpRequest } from "./support/http";

// Issue 13, item 9: an old address of a renamed item redirects only those who may read it.

async function renamedDraft() {
  const owner = await createUser();
  const draft = await createItemInEditor({ user: owner, title: `Working title ${Date.now()}` });
  const newTitle = `Confidential merger of two frameworks ${Date.now()}`;
  const { slug } = await retitleItem({ slug: draft.slug, title: newTitle, user: owner });
  expect(slug).not.toBe(draft.slug);
  return { owner, oldSlug: draft.slug, newSlug: slug, newTitle };
}

describe("a renamed draft's old addresses", () => {
  it.each([
    { page: "history", method: "HEAD" },
    { page: "history", method: "GET" },
    { page: "download", method: "HEAD" },
    { page: "download", method: "GET" },
  ])("answer an anonymous $method of /$page with a 404 that does not name the new slug", async ({ page, method }) => {
    const { oldSlug, newSlug, newTitle } = await renamedDraft();
    const answer = await httpRequest(`/library/${oldSlug}/${page}`, { method });
    expect(answer.status).toBe(404);
    expect(answer.headers.location).toBeUndefined();
    expect(answer.body).not.toContain(newSlug);
    expect(answer.body).not.toContain(newTitle);
  });

  it.each(["edit", "history", "download"])("answer another member's /%s with a 404", async (page) => {
    const { oldSlug, newSlug } = await renamedDraft();
    const stranger = await createUser();
    const answer = await httpRequest(`/library/${oldSlug}/${page}`, {
      headers: { Cookie: await sessionCookieFor(stranger.id) },
    });
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain(newSlug);
  });

  it.each(["edit", "history", "download"])("still send its author on from /%s to the new address", async (page) => {
    const { owner, oldSlug, newSlug } = await renamedDraft();
    const answer = await httpRequest(`/library/${oldSlug}/${page}`, {
      headers: { Cookie: await sessionCookieFor(owner.id) },
    });
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe(`/library/${newSlug}/${page}`);
  });
});

describe("a renamed published item's old addresses", () => {
  it.each(["history", "download"])("send anyone on from /%s, as they always did", async (page) => {
    const owner = await createUser();
    const item = await createItemInEditor({ user: owner, status: "published", title: `Public tip ${Date.now()}` });
    const { slug } = await retitleItem({ slug: item.slug, title: `Public tip renamed ${Date.now()}`, user: owner });
    const answer = await httpRequest(`/library/${item.slug}/${page}`, { method: "HEAD" });
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe(`/library/${slug}/${page}`);
  });
});
