import { describe, expect, it } from "vitest";

import { EDITOR_FORM_MAX_BYTES } from "~/routes/+shared/item-editor.server";

import { bodyLimitFor, UPLOAD_BODY_MAX_BYTES } from "./request-body.server";

const MB = 1024 * 1024;

describe("bodyLimitFor", () => {
  it("gives the editor's documented 16 MB to multipart posts to the routes that take uploads", () => {
    expect(UPLOAD_BODY_MAX_BYTES).toBe(EDITOR_FORM_MAX_BYTES);
    for (const path of ["/write", "/write/tip", "/library/a-tip/edit", "/library/a-story/datasets"]) {
      expect(bodyLimitFor({ path, contentType: "multipart/form-data; boundary=x" })).toEqual({
        maxBytes: 16 * MB,
        isUpload: true,
      });
    }
  });

  it("gives every other body 1 MB, whatever it claims to be", () => {
    for (const [path, contentType] of [
      ["/write/tip", "application/x-www-form-urlencoded"],
      ["/sign-in", "multipart/form-data; boundary=x"],
      ["/library/a-tip", "multipart/form-data; boundary=x"],
      ["/library/a-tip/edit/more", "multipart/form-data; boundary=x"],
      [null, "multipart/form-data; boundary=x"],
      ["/account", undefined],
    ] as const) {
      expect(bodyLimitFor({ path, contentType })).toEqual({ maxBytes: MB, isUpload: false });
    }
  });
});
