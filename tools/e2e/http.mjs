// The HTTP piece every end-to-end suite shares (tools/e2e/lib.mjs against
// the devservers, tools/e2e-ravendb7/lib7.mjs against a genuine RavenDB):
// one request from node with an optional JSON body, answered as status,
// text and parsed JSON. No environment, no browser: importable anywhere.

/**
 * `method` `base + path`, with `body` sent as JSON when given (and any
 * extra `headers`); resolves to `{ status, text, json }`, `json` null when
 * the answer is empty or not JSON.
 */
export async function requestJson(base, method, path, body, headers = {}) {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: res.status, text, json };
}
