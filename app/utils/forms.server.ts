// Every action reads its form through here, so a body that is not a form (text/plain, JSON, a
// broken multipart) is a 4xx with a message rather than a 500.

const FORM_CONTENT_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

function isFormSubmission(request: Request) {
  return FORM_CONTENT_TYPES.test(request.headers.get("Content-Type") ?? "");
}

/** The submitted form; a thrown 415 for anything not sent as a form, a 400 for a form that cannot be read. */
export async function readFormData(request: Request) {
  if (!isFormSubmission(request)) {
    throw new Response("That was not sent as a form, so nothing was changed. Send it from the form on our page.", {
      status: 415,
    });
  }
  try {
    return await request.formData();
  } catch {
    throw new Response("We could not read that form, so nothing was changed. Go back and send it again.", {
      status: 400,
    });
  }
}
