/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

// Single fetch is on (remix.config.js): loaders and actions return data() and plain objects, and
// useLoaderData<typeof loader> / useActionData<typeof action> should read them as such.
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
export {};
