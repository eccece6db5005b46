import path from "node:path";

import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";

import { ALLOWED_FOR_NOW, architectureConfigs, RESTRICTIONS } from "../../eslint.config.js";

// The architecture rules of eslint.config.js, failing on purpose. Type-aware rules are switched
// off here: these rules need no types, and building the program would cost seconds per file.
const root = path.resolve(".");
const projectLint = new ESLint({ cwd: root, overrideConfig: [tseslint.configs.disableTypeChecked] });

async function problems(code: string, filePath: string, eslint = projectLint) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return result!.messages.filter((message) => message.ruleId !== "import-x/newline-after-import");
}

const architectureProblems = async (code: string, filePath: string) =>
  (await problems(code, filePath)).filter((message) =>
    ["@typescript-eslint/no-restricted-imports", "no-restricted-globals", "no-restricted-syntax"].includes(
      message.ruleId ?? "",
    ),
  );

describe("the architecture, as lint errors", () => {
  it("a model may not import @remix-run or the session module, nor touch a Request or Response", async () => {
    const found = await architectureProblems(
      [
        'import { redirect } from "@remix-run/node";',
        'import { getUser } from "~/auth/session.server";',
        "",
        "export async function archiveThread({ request }: { request: Request }) {",
        "  if (!(await getUser(request, { requestId: 'x', setCookies: [] }))) throw new Response('No', { status: 403 });",
        "  return redirect('/');",
        "}",
      ].join("\n"),
      "app/models/new-model.server.ts",
    );
    expect(found.map((problem) => [problem.line, problem.ruleId, problem.severity])).toEqual([
      [1, "@typescript-eslint/no-restricted-imports", 2],
      [2, "@typescript-eslint/no-restricted-imports", 2],
      [4, "no-restricted-syntax", 2],
      [5, "no-restricted-globals", 2],
    ]);
    expect(found[0]!.message).toContain("Models know no request");
    expect(found[1]!.message).toContain("the route reads the session");
  });

  it("a component may import a model's types but not its values, nor anything from a *.server module", async () => {
    const found = await architectureProblems(
      [
        'import type { ThreadView } from "~/models/thread.server";',
        'import { type ItemCard } from "~/models/item.server";',
        'import { THEMES } from "~/models/vocabulary";',
        'import { db } from "~/db/client.server";',
        "",
        "export const used = [THEMES, db];",
        "export type Shown = ThreadView | ItemCard;",
      ].join("\n"),
      "app/components/new-component.tsx",
    );
    expect(found.map((problem) => [problem.line, problem.message.split(". ")[1]])).toEqual([
      [3, expect.stringContaining("not a model's values")],
      [4, expect.stringContaining("import only types from a *.server module")],
    ]);
  });

  it("a migration may import no app code", async () => {
    const found = await architectureProblems(
      [
        'import { type Kysely, sql } from "kysely";',
        'import { slugify } from "~/utils/slug";',
        'import type { Database } from "../../app/db/schema";',
        "",
        "export async function up(db: Kysely<Database>) {",
        "  await sql`select ${slugify('x')}`.execute(db);",
        "}",
      ].join("\n"),
      "db/migrations/209901010000_example.ts",
    );
    expect(found.map((problem) => problem.line)).toEqual([2, 3]);
    expect(found[0]!.message).toContain("A migration is frozen history");
  });

  it("a file on the allow-list is still held to every rule it is not listed for", async () => {
    expect(ALLOWED_FOR_NOW["app/components/item-card.tsx"]).toEqual(["components-import-no-model-values"]);
    const found = await architectureProblems(
      'import { ITEM_TYPES } from "~/models/vocabulary";\nimport { db } from "~/db/client.server";\n\nexport const x = [ITEM_TYPES, db];\n',
      "app/components/item-card.tsx",
    );
    expect(found.map((problem) => [problem.line, problem.message])).toEqual([
      [2, expect.stringContaining("import only types from a *.server module")],
    ]);
  });

  it("lists only files that still break the rules they are allowed to break", async () => {
    const { parser } = tseslint;
    const withoutAllowList = new ESLint({
      cwd: root,
      overrideConfigFile: true,
      overrideConfig: [
        { files: ["**/*.{ts,tsx}"], languageOptions: { parser } },
        { plugins: { "@typescript-eslint": tseslint.plugin } },
        ...architectureConfigs({}),
      ],
    });
    const stale: string[] = [];
    for (const [file, allowed] of Object.entries(ALLOWED_FOR_NOW)) {
      const [result] = await withoutAllowList.lintFiles([path.join(root, file)]);
      for (const name of allowed) {
        const restriction = RESTRICTIONS[name];
        const texts = [
          ...("import" in restriction ? [restriction.import.message] : []),
          ...("globals" in restriction ? restriction.globals.map((global) => global.message) : []),
        ];
        const isBroken = result!.messages.some((message) => texts.some((text) => message.message.includes(text)));
        if (!isBroken) stale.push(`${file}: ${name}`);
      }
    }
    expect(stale, "these files no longer break these rules: remove them from ALLOWED_FOR_NOW").toEqual([]);
  });
});
