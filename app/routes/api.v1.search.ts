import type { LoaderFunctionArgs } from "@remix-run/node";

import { methodNotAllowed } from "~/api/responses.server";
import { respondWithSearch } from "~/api/v1.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return respondWithSearch(request);
}

export async function action() {
  return methodNotAllowed();
}
