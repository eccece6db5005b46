import { describe, expect, it } from "vitest";

import { rawSqlite } from "~/db/client.server";
import { contentEpochReader } from "~/http/content-epoch.server";
import { setHelpful } from "~/models/reaction.server";

import { createItem } from "../factories/items";
import { createUser } from "../factories/users";

// Whatever a public page shows must move the content epoch when it changes, or cached pages go stale.
describe("the content epoch", () => {
  it("moves when a member marks an item helpful, and again when they take it back", async () => {
    const readEpoch = contentEpochReader(rawSqlite());
    const { id: itemId } = await createItem({ type: "tip" });
    const user = await createUser();
    const viewer = { id: user.id, role: user.role };

    const before = readEpoch()!;
    await setHelpful({ viewer, targetType: "item", targetId: itemId, helpful: true });
    const afterMarking = readEpoch()!;
    await setHelpful({ viewer, targetType: "item", targetId: itemId, helpful: false });

    expect(afterMarking).toBeGreaterThan(before);
    expect(readEpoch()!).toBeGreaterThan(afterMarking);
  });
});
