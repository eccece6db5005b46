// A second writing process for the reliability checks: saves items through the app's own model
// function (rendered first, then saveItem inside BEGIN IMMEDIATE), new ones and edits of its earlier ones, and prints
// "ack <slug> <version>" only after each commit returns. Stops after --count writes (0: never)
// or when killed.
//   DATABASE_PATH=... node --import tsx scripts/support/item-writer.ts --prefix a --count 100
import { parseArgs } from "node:util";

import { closeDb, writeTransaction } from "~/db/client.server";
import { saveItem } from "~/models/item.server";
import { renderItemBody, renderPool } from "~/rendering/render.server";

import { buildItemMeta } from "../../tests/factories/items";

const { values } = parseArgs({
  options: {
    prefix: { type: "string", default: "w" },
    count: { type: "string", default: "0" },
    "edit-every": { type: "string", default: "3" },
  },
});
const count = Number(values.count);
const editEvery = Number(values["edit-every"]);
const paragraph =
  "The framework's call-off terms were read against the specification, line by line, before award. ".repeat(20);

let written = 0;
let created = 0;
while (count === 0 || written < count) {
  written += 1;
  const isEdit = created > 0 && written % editEvery === 0;
  const slug = isEdit ? `${values.prefix}-item-${1 + (written % created)}` : `${values.prefix}-item-${created + 1}`;
  const meta = buildItemMeta({ title: `Reliability ${slug} write ${written}`, status: "published" });
  const body = `## Write ${written}\n\n${paragraph}\n`;
  const rendered = await renderItemBody(body, { slug });
  const saved = await writeTransaction((trx) => saveItem(trx, { slug, meta, body, rendered }));
  if (!isEdit) created += 1;
  process.stdout.write(`ack ${slug} ${saved.version}\n`);
}
await renderPool().close();
await closeDb();
