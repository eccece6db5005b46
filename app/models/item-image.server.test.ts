import { describe, expect, it } from "vitest";

import { detectImageType, IMAGE_MAX_BYTES, storeImage } from "./item-image.server";

const bytes = (...values: number[]) => Uint8Array.from(values);

describe("detectImageType", () => {
  it.each([
    ["PNG", bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0), "image/png"],
    ["JPEG", bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10), "image/jpeg"],
    ["WebP", bytes(0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50, 0x56), "image/webp"],
    [
      "a RIFF file that is not WebP (WAV)",
      bytes(0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x41, 0x56, 0x45),
      undefined,
    ],
    ["SVG text", new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), undefined],
    ["GIF", new TextEncoder().encode("GIF89a...."), undefined],
    ["nothing", bytes(), undefined],
  ])("%s", (_name, input, expected) => {
    expect(detectImageType(input)).toBe(expected);
  });
});

describe("storeImage", () => {
  it("refuses an image over the size limit before looking at anything else", async () => {
    const tooBig = new Uint8Array(IMAGE_MAX_BYTES + 1);
    tooBig.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await expect(storeImage({ bytes: tooBig, alt: "A chart", caption: "", userId: "nobody" })).resolves.toEqual({
      ok: false,
      field: "image",
      message: "The image must be smaller than 5 MB",
    });
  });

  it("keeps alt text that would break the markdown on one escaped line", async () => {
    const { createUser } = await import("../../tests/factories/users");
    const user = await createUser();
    const result = await storeImage({
      bytes: bytes(0xff, 0xd8, 0xff, 0xdb, 1, 2, 3),
      alt: "Chart ] (javascript:alert(1))\nsecond line",
      caption: 'Say "hi"',
      userId: user.id,
    });
    expect(result).toMatchObject({
      ok: true,
      markdown: expect.stringMatching(
        /^!\[Chart \\] \(javascript:alert\(1\)\) second line\]\(\/images\/[a-f0-9]{32}\.jpg "Say 'hi'"\)$/,
      ),
    });
  });
});
