// The service worker: the app shell is served from the cache (and refreshed in the background),
// so the app opens without a connection; the shopper's assignments, their checklists and visits
// are fetched from the network when it answers and from the cache when it does not. Nothing is
// ever sent from here: submissions are queued by the page (js/sync.js) in IndexedDB.

const SHELL = 'sirr-shell-v3';
const API = 'sirr-api';
const FILES = ['/', '/app/app.css', '/app/icon.svg', '/app/manifest.webmanifest', '/app/bundle.js'];
// GET answers kept for offline use (the shopper's own data; cleared at sign-out).
const OFFLINE_API = [/^\/api\/v1\/assignments(\/[^/]+(\/attachments)?)?$/, /^\/api\/v1\/checklists\/[^/]+\/versions\/\d+$/, /^\/api\/v1\/visits\/[^/]+$/, /^\/api\/v1\/me$/];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((c) => c.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const k of await caches.keys()) if (k !== SHELL && k !== API) await caches.delete(k);
    await self.clients.claim();
  })());
});

async function shell(request) {
  const cache = await caches.open(SHELL);
  const key = request.mode === 'navigate' ? '/' : request;
  const hit = await cache.match(key, { ignoreSearch: request.mode === 'navigate' });
  // Revalidate in the background (the server answers 304 when nothing changed).
  const fresh = fetch(request.mode === 'navigate' ? '/' : request).then((res) => {
    if (res.ok) cache.put(key, res.clone());
    return res;
  });
  if (hit) {
    fresh.catch(() => {});
    return hit;
  }
  return fresh;
}

async function networkFirst(request) {
  const cache = await caches.open(API);
  try {
    const res = await fetch(request);
    if (res.ok) await cache.put(request, res.clone());
    return res;
  } catch (e) {
    const hit = await cache.match(request);
    if (hit) return hit;
    return new Response(JSON.stringify({ error: { code: 'unavailable', message: 'offline', details: [] } }), {
      status: 503, headers: { 'Content-Type': 'application/json', 'X-Sirr-Offline': '1' },
    });
  }
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || event.request.method !== 'GET') return;
  if (event.request.mode === 'navigate' || url.pathname.startsWith('/app/')) {
    event.respondWith(shell(event.request));
  } else if (OFFLINE_API.some((re) => re.test(url.pathname))) {
    event.respondWith(networkFirst(event.request));
  }
});
