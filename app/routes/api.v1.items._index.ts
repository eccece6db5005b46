import type { LoaderFunctionArgs } from "@remix-run/node";

import { methodNotAllowed } from "~/api/responses.server";
import { respondWithItems } from "~/api/v1.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return respondWithItems(request);
}

export async function action() {
  return methodNotAllowed();
}
