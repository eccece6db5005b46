import { createContext, useContext } from "react";

// The server renders with this response's CSP nonce; in the browser it is "" (browsers hide
// nonces from the DOM, and scripts added after hydration run under 'strict-dynamic').
const NonceContext = createContext("");
export const NonceProvider = NonceContext.Provider;

export function useNonce() {
  return useContext(NonceContext);
}
