import { describe, expect, it } from "vitest";
import { z } from "zod";

import { ForbiddenError, InvalidInputError, NotFoundError, TooManyAttemptsError } from "~/models/domain-errors.server";

import { readReply } from "./forms";
import { parseSubmission, readFormData, rejectedForm, replyToDomainError, withDomainErrors } from "./forms.server";

const post = (contentType: string | null, body: string) =>
  new Request("http://localhost/", {
    method: "POST",
    body,
    headers: contentType ? { "Content-Type": contentType } : {},
  });

async function refusal(request: Request) {
  try {
    await readFormData(request);
  } catch (error) {
    if (error instanceof Response) return { status: error.status, message: await error.text() };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("readFormData", () => {
  it("reads url-encoded and multipart forms", async () => {
    expect((await readFormData(post("application/x-www-form-urlencoded", "a=1"))).get("a")).toBe("1");
    const multipart = '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n2\r\n--b--\r\n';
    expect((await readFormData(post("multipart/form-data; boundary=b", multipart))).get("a")).toBe("2");
  });

  it("refuses what is not a form with a 415, and a broken form with a 400, each with a message", async () => {
    expect(await refusal(post("text/plain", "a=1"))).toMatchObject({ status: 415, message: /not sent as a form/ });
    expect(await refusal(post(null, "a=1"))).toMatchObject({ status: 415 });
    expect(await refusal(post("application/x-www-form-urlencodedx", "a=1"))).toMatchObject({ status: 415 });
    expect(await refusal(post("multipart/form-data", "--b\r\n"))).toMatchObject({
      status: 400,
      message: /could not read/,
    });
  });
});

describe("the one form reply", () => {
  const Schema = z.object({
    email: z.string().trim().min(1, { error: "Enter your email address." }),
    password: z.string().min(1, { error: "Enter your password." }),
  });
  const formOf = (fields: Record<string, string>) => {
    const formData = new FormData();
    for (const [name, value] of Object.entries(fields)) formData.append(name, value);
    return formData;
  };

  it("gives the schema's own message for an empty field, and keeps what was typed but not the secret", async () => {
    const submission = parseSubmission(formOf({ email: "", password: "hunter2" }), Schema);
    expect(submission.status).toBe("error");
    const result = rejectedForm(submission, { hideFields: ["password"] });
    expect(result.init?.status).toBe(400);
    const reply = readReply(result.data);
    expect(reply.errorOf("email")).toBe("Enter your email address.");
    expect(reply.valueOf("password")).toBeUndefined();
  });

  it("turns a domain error into a reply next to the form, or into the error page's response", async () => {
    const submission = parseSubmission(formOf({ email: "a@example.gov.uk", password: "x" }), Schema);
    expect(submission.status).toBe("success");
    const invalid = replyToDomainError(submission, InvalidInputError.of("email", "That address is taken."));
    expect([invalid.init?.status, readReply(invalid.data).errorOf("email")]).toEqual([400, "That address is taken."]);
    expect(readReply(invalid.data).valueOf("email")).toBe("a@example.gov.uk");

    const limited = replyToDomainError(submission, new TooManyAttemptsError("Too many tries.", 60));
    expect(limited.init?.status).toBe(429);
    expect(new Headers(limited.init?.headers).get("Retry-After")).toBe("60");
    expect(readReply(limited.data).errorOf("form")).toBe("Too many tries.");

    const thrown = (error: unknown) => {
      try {
        replyToDomainError(submission, error);
      } catch (caught) {
        return caught;
      }
      throw new Error("expected a throw");
    };
    expect((thrown(new NotFoundError()) as Response).status).toBe(404);
    expect((thrown(new ForbiddenError("Not yours.")) as Response).status).toBe(403);
    const bug = new TypeError("a bug");
    expect(thrown(bug)).toBe(bug);
  });

  it("wraps a loader so a domain error it throws becomes the response, with the loader's own type", async () => {
    const loader = withDomainErrors(async (slug: string) => {
      if (slug === "missing") throw new NotFoundError("No such item.");
      return { slug };
    });
    expect(await loader("here")).toEqual({ slug: "here" });
    const response = await loader("missing").catch((error: unknown) => error);
    expect(response).toBeInstanceOf(Response);
    expect([(response as Response).status, await (response as Response).text()]).toEqual([404, "No such item."]);
  });
});
