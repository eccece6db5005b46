import type { LoaderFunctionArgs } from "@remix-run/node";

import { methodNotAllowed } from "~/api/responses.server";
import { respondWithCommunities } from "~/api/v1.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return respondWithCommunities(request);
}

export async function action() {
  return methodNotAllowed();
}
