import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";

import { type FormReply, readReply } from "~/utils/forms";

import { sessionCookieFor } from "../factories/users";

type RouteFunction<Args, Result> = (args: Args) => Promise<Result> | Result;

/** Calls a loader as Remix would for a GET of `url`. */
export async function callLoader<T>(
  loader: RouteFunction<LoaderFunctionArgs, T>,
  url: string,
  params: Record<string, string> = {},
  init: RequestInit = {},
) {
  const request = new Request(new URL(url, "http://localhost:3000"), init);
  return loader({ request, params, context: { requestId: "test", setCookies: [] } });
}

/** Calls an action with a form body, as a browser form submission would. */
export async function callAction<T>(
  action: RouteFunction<ActionFunctionArgs, T>,
  url: string,
  form: Record<string, string | string[]>,
  {
    params = {},
    headers = {},
    context = { requestId: "test", setCookies: [] },
  }: { params?: Record<string, string>; headers?: Record<string, string>; context?: AppLoadContext } = {},
) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) {
    for (const entry of Array.isArray(value) ? value : [value]) body.append(name, entry);
  }
  const request = new Request(new URL(url, "http://localhost:3000"), {
    method: "POST",
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost:3000", ...headers },
  });
  return action({ request, params, context });
}

/** Calls an action with a multipart body, as a browser form with a file input submits it. */
export async function callMultipartAction<T>(
  action: RouteFunction<ActionFunctionArgs, T>,
  url: string,
  form: FormData,
  { params = {}, headers = {} }: { params?: Record<string, string>; headers?: Record<string, string> } = {},
) {
  const request = new Request(new URL(url, "http://localhost:3000"), {
    method: "POST",
    body: form,
    headers: { Origin: "http://localhost:3000", ...headers },
  });
  return action({ request, params, context: { requestId: "test", setCookies: [] } });
}

/** The headers of a signed-in user's request (a fresh session's cookie), to spread into a call's options. */
export async function asUser(userId: string) {
  return { headers: { Cookie: await sessionCookieFor(userId) } };
}

/** The HTTP status of what a loader or action returned: a Response, a `data()` result, or plain data. */
export function statusOf(result: unknown) {
  if (result instanceof Response) return result.status;
  return (result as { init?: { status?: number } }).init?.status ?? 200;
}

/** What a `data(value, init)` result carries. */
export function dataOf<T>(result: unknown) {
  return (result as { data: T }).data;
}

/** Runs a loader or action expected to throw a Response, and returns that Response. */
export async function thrownResponse(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
  throw new Error("Expected a thrown Response, but the call returned normally");
}

/** The headers of what a loader or action returned: a Response's, or those given to `data()`. */
export function headersOf(result: unknown) {
  if (result instanceof Response) return result.headers;
  return new Headers((result as { init?: { headers?: HeadersInit } }).init?.headers);
}

/** A form action's reply (see app/utils/forms.ts), read as the page reads it. */
export function replyOf(result: unknown) {
  return readReply(dataOf<FormReply>(result));
}

function isDataResult(result: unknown): result is { data: unknown; init: ResponseInit | null } {
  return (
    typeof result === "object" && result !== null && (result as { type?: unknown }).type === "DataWithResponseInit"
  );
}

/** A loader's or action's result as the response the browser gets: a `data()` result becomes its JSON body with its status and headers. */
function asResponse(result: unknown) {
  if (result instanceof Response) return result;
  if (isDataResult(result)) {
    const { data, init } = result;
    return Response.json(data, init ?? undefined);
  }
  return Response.json(result);
}

/** Submits a form to an action, as `callAction` does, and answers with the response the browser gets. */
export async function submitForm(...args: Parameters<typeof callAction>) {
  return asResponse(await callAction(...args));
}
