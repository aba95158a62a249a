/**
 * Headers on every answer of the trust-map server. No `Access-Control-Allow-*` header is ever
 * sent (no CORS): a page from another origin cannot read any answer. The content security policy
 * lets the page load only its own bundled files and talk only to its own server; the page's URL
 * carries the token, so it is never sent on as a referrer.
 */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy':
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
      "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
