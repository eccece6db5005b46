import { describe, expect, it } from "vitest";

import { readFormData } from "./forms.server";

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
