import type { LoaderFunctionArgs } from "@remix-run/node";

import { methodNotAllowed } from "~/api/responses.server";
import { respondWithThreads } from "~/api/v1.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return respondWithThreads(request, params.slug ?? "");
}

export async function action() {
  return methodNotAllowed();
}
