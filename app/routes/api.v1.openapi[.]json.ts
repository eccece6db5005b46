import type { LoaderFunctionArgs } from "@remix-run/node";

import { openApiDocument } from "~/api/openapi";
import { apiJson, methodNotAllowed } from "~/api/responses.server";
import { getEnv } from "~/env.server";
import { CACHE_DOCUMENT } from "~/utils/http.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return apiJson(request, openApiDocument(getEnv().SITE_URL), { cacheControl: CACHE_DOCUMENT });
}

export async function action() {
  return methodNotAllowed();
}
