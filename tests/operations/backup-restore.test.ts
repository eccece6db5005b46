import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { backupDatabase, integrityCheck, isDatabaseInUse, sha256File, verifyBackup } from "~/db/backup.server";
import { db } from "~/db/client.server";
import { getEnv } from "~/env.server";

import { restoreCommand } from "../../scripts/db-restore";
import { createItem } from "../factories/items";
import { acknowledged, callCommand, runScript, startScript } from "../support/scripts";

const directory = mkdtempSync(path.join(tmpdir(), "commons-backup-test-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

beforeAll(async () => {
  for (let index = 0; index < 40; index += 1)
    await createItem({ body: `## Part ${index}\n\n${"Words about the tender. ".repeat(400)}` });
});

describe("npm run db:backup", () => {
  it("makes a consistent, checksummed copy while another process keeps writing (run as a command)", async () => {
    const writer = startScript("scripts/support/item-writer.ts", ["--prefix", "during-backup"]);
    while (!writer.output().includes("ack")) await new Promise((resolve) => setTimeout(resolve, 20));

    const target = path.join(directory, "during-writes.sqlite");
    const run = await runScript("scripts/db-backup.ts", [target]);
    writer.child.kill("SIGTERM");
    await writer.finished;

    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/100%/);
    expect(run.stdout).toMatch(/Backup complete in [\d.]+ s: [\d.]+ MB, integrity ok/);
    expect(integrityCheck(target)).toBe("ok");
    const [checksum, name] = readFileSync(`${target}.sha256`, "utf8").trim().split(/\s+/);
    expect(name).toBe("during-writes.sqlite");
    expect(checksum).toBe(await sha256File(target));

    // A snapshot, not a smear: every item it holds has the revision written in the same transaction.
    const copy = new SQLite(target, { readonly: true });
    const torn = copy
      .prepare(
        "select slug from items where version <> (select max(version) from item_revisions where item_id = items.id)",
      )
      .all();
    const copied = copy.prepare("select count(*) from items where slug like 'during-backup-%'").pluck().get() as number;
    copy.close();
    expect(torn).toEqual([]);
    expect(copied).toBeGreaterThan(0);
    expect(acknowledged(writer.output()).size).toBeGreaterThanOrEqual(copied);
  }, 60_000);

  it("never leaves a half-written file under the backup's name", async () => {
    const target = path.join(directory, "exists.sqlite");
    writeFileSync(target, "already here");
    await expect(backupDatabase({ source: getEnv().DATABASE_PATH, target })).rejects.toThrow(/already exists/);
    expect(readFileSync(target, "utf8")).toBe("already here");
  });
});

describe("npm run db:restore", () => {
  let backup: string;
  let itemsInBackup: number;
  beforeAll(async () => {
    backup = path.join(directory, "good.sqlite");
    await backupDatabase({ source: getEnv().DATABASE_PATH, target: backup });
    ({ items: itemsInBackup } = await verifyBackup(backup));
  });

  it("refuses while the app has the database open, and says to stop it", async () => {
    await db.selectFrom("items").select("id").limit(1).execute();
    expect(isDatabaseInUse(getEnv().DATABASE_PATH)).toBe(true);
    const run = await callCommand(restoreCommand, [backup]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Restore refused, nothing was changed: .* is in use by another process\. Stop the app/);
    expect(integrityCheck(getEnv().DATABASE_PATH)).toBe("ok");
  });

  it("refuses a backup that does not match its checksum", async () => {
    const tampered = path.join(directory, "tampered.sqlite");
    copyFileSync(backup, tampered);
    copyFileSync(`${backup}.sha256`, `${tampered}.sha256`);
    const copy = new SQLite(tampered);
    copy.prepare("update items set title = 'Changed after the backup' where id = 1").run();
    copy.close();
    await expect(verifyBackup(tampered)).rejects.toThrow(/does not match its checksum/);
  });

  it("refuses a damaged file even with a matching checksum", async () => {
    const damaged = path.join(directory, "damaged.sqlite");
    const bytes = readFileSync(backup);
    bytes.fill(0x5a, 8192, 8192 + 4096 * 3);
    writeFileSync(damaged, bytes);
    writeFileSync(`${damaged}.sha256`, `${await sha256File(damaged)}  damaged.sqlite\n`);
    await expect(verifyBackup(damaged)).rejects.toThrow(/integrity_check|not a readable SQLite database/);
  });

  it("refuses a backup with no checksum unless told to trust it", async () => {
    const bare = path.join(directory, "no-checksum.sqlite");
    copyFileSync(backup, bare);
    await expect(verifyBackup(bare)).rejects.toThrow(/no-checksum\.sqlite\.sha256 is missing/);
    await expect(verifyBackup(bare, { requireChecksum: false })).resolves.toMatchObject({ items: itemsInBackup });
  });

  it("swaps a verified backup in for a stopped database and keeps the one it replaced (run as a command)", async () => {
    const live = path.join(directory, "live.sqlite");
    copyFileSync(backup, live);
    const app = new SQLite(live);
    app.pragma("journal_mode = WAL");
    app.prepare("delete from items where id > 10").run();
    app.close();

    const run = await runScript("scripts/db-restore.ts", [backup], { DATABASE_PATH: live });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`checksum and integrity ok, ${itemsInBackup} items`);
    const restored = new SQLite(live, { readonly: true });
    expect(restored.prepare("select count(*) from items").pluck().get()).toBe(itemsInBackup);
    restored.close();
    const keptAs = /kept as (\S+)\./.exec(run.stdout)?.[1];
    expect(keptAs && existsSync(keptAs)).toBe(true);
    const kept = new SQLite(keptAs, { readonly: true });
    expect(kept.prepare("select count(*) from items").pluck().get()).toBe(10);
    kept.close();
  });
});
