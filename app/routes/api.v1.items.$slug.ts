import type { LoaderFunctionArgs } from "@remix-run/node";

import { methodNotAllowed } from "~/api/responses.server";
import { respondWithItem } from "~/api/v1.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return respondWithItem(request, params.slug ?? "");
}

export async function action() {
  return methodNotAllowed();
}
