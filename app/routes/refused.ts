import type { ActionFunctionArgs } from "@remix-run/node";

// The app's answer to one of its own form posts that the HTTP layer refused before Remix ran (a
// cross-site or wrong-address form, a body over its limit): scripts/lib/http-server.ts sends the
// refused request here with the refusal in the load context, so Remix encodes it as the thrown
// Response the page's error view shows. Anyone else who posts here gets a 404.
export function action({ context }: ActionFunctionArgs) {
  if (!context.refusal) throw new Response("Not found", { status: 404 });
  throw new Response(context.refusal.message, { status: context.refusal.status });
}

export function loader() {
  throw new Response("Not found", { status: 404 });
}
