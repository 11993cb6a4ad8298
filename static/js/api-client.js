// Calling the server with JSON, one way for every page: the API (`api`, with a staff token or a
// delegate's code in the body) and a page's own endpoints (`request`, with the page's CSRF token
// or a form). Every call resolves to {ok, status, data, json, redirected}: status 0 when the
// network failed or the wait ran out, `json` whether the answer was JSON at all (a sign-in page
// or a proxy's error page is not).

/** Send a request; never throws. */
export async function request(url, { method = 'GET', body, form, token, csrfToken, timeoutMs } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  if (csrfToken) headers['X-CSRFToken'] = csrfToken;
  const controller = timeoutMs ? new AbortController() : null;
  const timer = controller ? setTimeout(() => controller.abort(), timeoutMs) : null;
  try {
    const response = await fetch(url, {
      method,
      headers,
      body: form !== undefined ? form : body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: controller ? controller.signal : undefined,
    });
    const json = (response.headers.get('Content-Type') || '').includes('application/json');
    let data = null;
    if (json) {
      try { data = await response.json(); } catch { data = null; }
    }
    return { ok: response.ok, status: response.status, data, json, redirected: response.redirected };
  } catch {
    return { ok: false, status: 0, data: null, json: false, redirected: false };
  } finally {
    clearTimeout(timer);
  }
}

/** Call the JSON API under /api/v1. */
export function api(path, options = {}) {
  return request(`/api/v1${path}`, options);
}

/** The error code and message of an API answer ({"error": {"code", "message"}}). */
export function apiError(result) {
  const error = (result.data && result.data.error) || {};
  return { code: error.code || (result.status === 0 ? 'network' : 'error'), message: error.message || '' };
}
