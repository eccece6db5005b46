/** Shown instead of the editor to someone not signed in. */
export function SignInToWrite({ heading, back }: { heading: string; back: string }) {
  return (
    <>
      <h1>{heading}</h1>
      <p className="lede">You need to be signed in to write or edit items.</p>
      <p>
        <a className="button" href={`/sign-in?redirectTo=${encodeURIComponent(back)}`}>
          Sign in
        </a>
      </p>
    </>
  );
}
