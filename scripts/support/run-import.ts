import { closeDb } from "~/db/client.server";

/**
 * Runs an import script's work. A problem in the files being imported (`isContentError`) is printed
 * as its message, for the author to fix, and exits 1; anything else is a bug and throws. The
 * database is always closed so the process can end.
 */
export async function runImport(work: () => Promise<void>, isContentError: (error: unknown) => error is Error) {
  try {
    await work();
  } catch (error) {
    if (isContentError(error)) {
      console.error(error.message);
      process.exitCode = 1;
    } else {
      throw error;
    }
  } finally {
    await closeDb();
  }
}
