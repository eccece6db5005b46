import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

const FOLDER = path.resolve("docs/decisions");
const records = readdirSync(FOLDER).filter((name) => /^\d{4}-[a-z0-9-]+\.md$/.test(name));

describe("decision records", () => {
  it("are all found", () => {
    expect(records.length).toBeGreaterThanOrEqual(10);
  });

  it.each(records)("%s opens with its title, Date and Status", (name) => {
    const [title, blank, date, status] = readFileSync(path.join(FOLDER, name), "utf8").split("\n");
    expect(title).toMatch(new RegExp(`^# ${Number(name.slice(0, 4))}\\. \\S`));
    expect(blank).toBe("");
    expect(date).toMatch(/^- Date: \d{4}-\d{2}-\d{2}(, revised \d{4}-\d{2}-\d{2})*$/);
    expect(status).toMatch(/^- Status: (Proposed|Accepted|Superseded by \d+)$/);
  });
});
