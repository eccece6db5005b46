import { describe, expect, it } from "vitest";

import { createCommunity, createThread } from "../factories/discussions";
import { createItemInEditor, createItem } from "../factories/items";
import { createUser, sessionCookieFor } from "../factories/users";
import { baseUrl } from "./support/browser";
import { httpRequest } from "./support/http";

// Issue 13, item 4: bodies are capped before Remix parses them, chunked ones included.

const MB = 1024 * 1024;

/** A body of `totalBytes` streamed in 64 KB chunks, generated as it is sent. */
async function* streamedBody(totalBytes: number, fill = "a") {
  const chunk = Buffer.alloc(64 * 1024, fill);
  for (let sent = 0; sent < totalBytes; sent += chunk.byteLength) yield chunk;
}

/**
 * The first `sentBytes` of a longer body, after which the client sends nothing more and waits, as
 * a slow one would. An answer that arrives then did not wait for the rest, whatever the speed of
 * the machine (counting the bytes sent before a 413 measured the loopback's speed instead).
 */
async function* bodyThatStallsAfter(sentBytes: number) {
  yield* streamedBody(sentBytes);
  await new Promise<never>(() => {});
}

function multipart(totalBytes: number) {
  const boundary = "----limits";
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: (async function* () {
      yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="body"\r\n\r\n`);
      yield* streamedBody(totalBytes);
      yield Buffer.from(`\r\n--${boundary}--\r\n`);
    })(),
  };
}

function multipartThatStallsAfter(sentBytes: number) {
  const boundary = "----limits";
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: (async function* () {
      yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="body"\r\n\r\n`);
      yield* bodyThatStallsAfter(sentBytes);
    })(),
  };
}

describe("request body limits", () => {
  it("refuses a 300 MB chunked form post to /sign-in with the site's 413 page, long before it has arrived", async () => {
    const answer = await httpRequest("/sign-in", {
      method: "POST",
      headers: {
        Origin: baseUrl(),
        Accept: "text/html,application/xhtml+xml",
        "Content-Type": "application/x-www-form-urlencoded",
        "Transfer-Encoding": "chunked",
      },
      // The first 4 MB of what would be 300 MB.
      body: bodyThatStallsAfter(4 * MB),
    });
    expect(answer.status).toBe(413);
    expect(answer.headers["content-type"]).toMatch(/^text\/html/);
    expect(answer.headers.connection).toBe("close");
    expect(answer.body).toContain("<h1>That was too much to send at once</h1>");
    expect(answer.body).toContain("more than 1 MB");
  });

  it("refuses a 60 MB chunked upload to /write/tip without a session at the editor's 16 MB", async () => {
    // The first 20 MB of what would be 60 MB.
    const { contentType, body } = multipartThatStallsAfter(20 * MB);
    const answer = await httpRequest("/write/tip", {
      method: "POST",
      headers: { Origin: baseUrl(), Accept: "text/html", "Content-Type": contentType, "Transfer-Encoding": "chunked" },
      body,
    });
    expect(answer.status).toBe(413);
    expect(answer.body).toContain("That was too much to send at once (more than 16 MB), so nothing was saved.");
  });

  it("refuses a declared Content-Length over the limit without waiting for the body", async () => {
    const answer = await httpRequest("/sign-in", {
      method: "POST",
      headers: {
        Origin: baseUrl(),
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": String(200 * MB),
      },
      // Only the first 64 KB is ever sent: the declared length alone is refused.
      body: bodyThatStallsAfter(64 * 1024),
    });
    expect(answer.status).toBe(413);
  });

  it("answers a client that did not ask for HTML in plain text", async () => {
    const answer = await httpRequest("/sign-in", {
      method: "POST",
      headers: { Origin: baseUrl(), Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: Buffer.alloc(2 * MB, "a"),
    });
    expect(answer.status).toBe(413);
    expect(answer.headers["content-type"]).toMatch(/^text\/plain/);
    expect(answer.body).toMatch(/^Error 413: That was too much to send at once/);
  });

  it("allows an upload's 16 MB only on the routes that take uploads", async () => {
    const user = await createUser();
    const cookie = await sessionCookieFor(user.id);
    const upload = (path: string) => {
      const { contentType, body } = multipart(3 * MB);
      return httpRequest(path, {
        method: "POST",
        headers: { Origin: baseUrl(), Cookie: cookie, "Content-Type": contentType },
        body,
      });
    };
    expect((await upload("/account")).status).toBe(413);
    expect((await upload("/communities/new")).status).toBe(413);
    // The editor reads it and answers in the form (the body field is far over its own limit).
    const editor = await upload("/write/tip");
    expect(editor.status).not.toBe(413);
    expect(editor.status).toBeLessThan(500);
  });

  it("passes a form under the limit to the app as before", async () => {
    const answer = await httpRequest("/sign-in", {
      method: "POST",
      headers: {
        Origin: baseUrl(),
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Forwarded-For": "203.0.113.40",
      },
      body: `email=nobody%40example.gov.uk&password=${"x".repeat(900 * 1024)}`,
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("The email address or password is not right");
  });
});

describe("a body that is not a form", () => {
  /** Every route with an action that reads a form (sign-out reads none), each with a real target, as an admin who may use all of them. */
  async function actionPaths() {
    const admin = await createUser({ role: "admin" });
    const community = await createCommunity();
    const thread = await createThread({ communityId: community.id });
    const published = await createItem({ type: "tip" });
    const story = await createItem({ type: "data-story" });
    const draft = await createItemInEditor({ user: admin });
    const paths = [
      "/sign-in",
      "/sign-up",
      "/forgot-password",
      "/reset-password",
      "/verify-email",
      "/email/unsubscribe/not-a-signed-link",
      "/account",
      "/account/email",
      "/account/notifications",
      "/admin/mail",
      "/account/password",
      "/account/delete",
      "/notifications",
      "/me",
      "/moderation",
      "/communities/new",
      `/communities/${community.slug}`,
      `/communities/${community.slug}/requests`,
      `/communities/${community.slug}/threads/new`,
      `/communities/${community.slug}/threads/${thread.threadId}-${thread.slug}`,
      `/library/${published.slug}`,
      `/library/${draft.slug}/history`,
      `/library/${draft.slug}/edit`,
      `/library/${story.slug}/datasets`,
      "/write",
      "/write/tip",
      "/resources/item-preview",
    ];
    return { cookie: await sessionCookieFor(admin.id), paths };
  }

  it.each([
    { label: "text/plain", contentType: "text/plain", body: "displayName=Plain&intent=read-all" },
    { label: "JSON", contentType: "application/json", body: '{"intent":"read-all"}' },
    { label: "a multipart body with no boundary", contentType: "multipart/form-data", body: "--x\r\n\r\nbroken" },
  ])("answers $label sent to any action with a 4xx and a message, never a 500", async ({ contentType, body }) => {
    const { cookie, paths } = await actionPaths();
    const answers = [];
    for (const path of paths) {
      const answer = await httpRequest(path, {
        method: "POST",
        headers: { Origin: baseUrl(), Cookie: cookie, "Content-Type": contentType, Accept: "text/html" },
        body,
      });
      answers.push({
        path,
        status: answer.status,
        isFriendly: !answer.body.includes("something went wrong on our side"),
      });
    }
    expect(answers.filter((answer) => answer.status >= 500 || answer.status < 400 || !answer.isFriendly)).toEqual([]);
  });
});
