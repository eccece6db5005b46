import type { LoaderFunctionArgs } from "@remix-run/node";

import { requireUser } from "~/auth/session.server";
import { exportAccountData } from "~/models/user.server";

/** "Download your data": everything the member wrote, as one JSON file. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const data = await exportAccountData({ userId: user.id });
  const headers = new Headers({
    "Content-Type": "application/json; charset=utf-8",
    "Content-Disposition": `attachment; filename="procurement-commons-${user.username}.json"`,
    "Cache-Control": "private, no-store",
  });
  for (const cookie of context.setCookies.splice(0)) headers.append("Set-Cookie", cookie);
  return new Response(JSON.stringify(data, null, 2), { headers });
}
