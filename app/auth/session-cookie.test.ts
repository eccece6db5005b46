import { describe, expect, it } from "vitest";

import { readSessionCookie } from "./session-cookie";

const NAME = "__Host-commons_session";
const ID = "abcdefghijklmnopqrstuvwxyz234567abcdefgh";

describe("readSessionCookie", () => {
  it("reads the session id only from the name exactly as sent", () => {
    expect(readSessionCookie(`theme=dark; ${NAME}=${ID}`, NAME)).toEqual({ sessionId: ID, isPersonal: true });
    expect(readSessionCookie(`theme=dark;${NAME}=${ID}`, NAME).sessionId).toBe(ID);
    expect(readSessionCookie(`x__Host-commons_session=1; ${NAME}=${ID}`, NAME).sessionId).toBe(ID);
  });

  it.each([
    `%5F_Host-commons_session=${ID}`,
    `%5f%5fHost-commons_session=${ID}`,
    `%255F_Host-commons_session=${ID}`,
    `__host-commons_session=${ID}`,
    `x__Host-commons_session=${ID}`,
    `__Secure-commons_session=${ID}`,
    `commons_session=${ID}`,
    `%E0%A4%A=1; %5F_Host-commons_session=${ID}`,
  ])("treats %s as personal but never as a session", (header) => {
    expect(readSessionCookie(header, NAME)).toEqual({ sessionId: null, isPersonal: true });
  });

  it("refuses to choose between two different values under the exact name", () => {
    expect(readSessionCookie(`${NAME}=planted; ${NAME}=${ID}`, NAME)).toEqual({ sessionId: null, isPersonal: true });
    expect(readSessionCookie(`${NAME}=${ID}; ${NAME}=${ID}`, NAME).sessionId).toBe(ID);
  });

  it("ignores values that cannot be session ids, and headers with no session at all", () => {
    expect(readSessionCookie(`${NAME}=%0d%0a`, NAME)).toEqual({ sessionId: null, isPersonal: true });
    expect(readSessionCookie(`${NAME}=`, NAME)).toEqual({ sessionId: null, isPersonal: true });
    expect(readSessionCookie("theme=dark; consent=yes", NAME)).toEqual({ sessionId: null, isPersonal: false });
    expect(readSessionCookie(undefined, NAME)).toEqual({ sessionId: null, isPersonal: false });
  });
});
