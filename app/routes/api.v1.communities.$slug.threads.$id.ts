import type { LoaderFunctionArgs } from "@remix-run/node";

import { methodNotAllowed } from "~/api/responses.server";
import { respondWithThread } from "~/api/v1.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return respondWithThread(request, params.slug ?? "", params.id ?? "");
}

export async function action() {
  return methodNotAllowed();
}
