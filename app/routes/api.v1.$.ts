import { methodNotAllowed, notFound } from "~/api/responses.server";

export async function loader() {
  return notFound("There is nothing at this address. The API's endpoints are listed in /api/v1/openapi.json.");
}

export async function action() {
  return methodNotAllowed();
}
