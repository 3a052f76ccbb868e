// The JSON API with the signed-in user's tokens. Tokens live in localStorage so that a reload
// (or a closed tab) keeps the user signed in; a 401 triggers one refresh (POST /auth/refresh,
// which rotates the refresh token) and one retry.

const TOKENS = 'sirr.tokens';
const ME = 'sirr.me';

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.details = body?.error?.details || [];
  }
}

/** The request never reached the server (offline, server down). */
export class OfflineError extends Error {}

const tokens = () => JSON.parse(localStorage.getItem(TOKENS) || 'null');
export const me = () => JSON.parse(localStorage.getItem(ME) || 'null');
export const signedIn = () => !!tokens() && !!me();

function keep(pair) {
  localStorage.setItem(TOKENS, JSON.stringify({ access: pair.access_token, refresh: pair.refresh_token }));
}

/** The answer to a GET that index.html started before the app's script ran, if it is this one. */
function early(method, path, auth) {
  const e = window.sirrEarly;
  if (!e || method !== 'GET' || !auth || e.path !== path) return null;
  window.sirrEarly = null;
  // Signed in again since (another user, a refreshed token): ask afresh.
  return e.token === tokens()?.access ? e.response : null;
}

async function raw(method, path, { body, headers = {}, auth = true } = {}) {
  const started = early(method, path, auth);
  // A failed early request (null) is simply asked again, through the service worker.
  const answered = started && (await started);
  if (answered) return answered;
  // Server-originated text in the language on the screen (SPEC §10.31).
  const h = { 'Accept-Language': document.documentElement.lang || 'en', ...headers };
  const tk = tokens();
  if (auth && tk) h.Authorization = `Bearer ${tk.access}`;
  let payload = body;
  if (body !== undefined && !(body instanceof Blob)) {
    h['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, { method, headers: h, body: payload, cache: 'no-store' });
  } catch (e) {
    throw new OfflineError(String(e));
  }
  // The service worker answers 503 with this header when it had nothing cached.
  if (res.status === 503 && res.headers.get('X-Sirr-Offline')) throw new OfflineError('offline');
  return res;
}

let refreshing = null;
async function refresh() {
  const tk = tokens();
  if (!tk) return false;
  refreshing ??= (async () => {
    const res = await raw('POST', '/api/v1/auth/refresh', { body: { refresh_token: tk.refresh }, auth: false });
    if (res.ok) { keep(await res.json()); return true; }
    if (res.status === 401) localStorage.removeItem(TOKENS);
    return false;
  })().finally(() => { refreshing = null; });
  return refreshing;
}

/** Calls the API; JSON in and out. Throws ApiError (with details) or OfflineError. */
export async function api(method, path, opts = {}) {
  let res = await raw(method, path, opts);
  if (res.status === 401 && opts.auth !== false && (await refresh())) res = await raw(method, path, opts);
  if (res.status === 401 && opts.auth !== false && !tokens()) {
    window.dispatchEvent(new Event('sirr:signed-out'));
  }
  if (opts.response) return res;
  // A refused download still says why (the JSON error envelope).
  const text = res.status === 204 ? '' : opts.blob && res.ok ? null : await res.text();
  if (!res.ok) {
    let parsed = null;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    throw new ApiError(res.status, parsed);
  }
  if (opts.blob) return res.blob();
  return text ? JSON.parse(text) : null;
}

export const get = (path) => api('GET', path);

/** Keeps a token pair the server issued outside sign-in (after a change of one's own password). */
export function adoptTokens(pair) {
  keep(pair);
}

/** Saves the reader's language on the server (SPEC §10.31) so refusals and e-mail follow it on
 * every device. Best effort: signed out or offline it is simply not saved (the device keeps it). */
export function saveLanguage(language) {
  if (!signedIn()) return;
  api('PATCH', '/api/v1/me', { body: { language } }).catch(() => {});
}

export async function login(email, password) {
  const pair = await api('POST', '/api/v1/auth/login', { body: { email, password }, auth: false });
  keep(pair);
  const who = await get('/api/v1/me');
  localStorage.setItem(ME, JSON.stringify(who));
  return who;
}

/** Reads who is signed in from the server again (the address or name may have changed). */
export async function refreshMe() {
  const who = await get('/api/v1/me');
  localStorage.setItem(ME, JSON.stringify(who));
  return who;
}

export async function logout() {
  const tk = tokens();
  if (tk) {
    try { await api('POST', '/api/v1/auth/logout', { body: { refresh_token: tk.refresh }, auth: false }); } catch { /* offline: forget locally anyway */ }
  }
  localStorage.removeItem(TOKENS);
  localStorage.removeItem(ME);
}
