// Clientscope service worker. Caches this build's files (the list is written in at build
// time by scripts/post-build.mjs) so the app opens and works with the network off.
// A new build installs beside the running one and waits: it takes over only when the page
// asks (the user pressed "reload"), so a running page never loses its files mid-use.
const VERSION = '__BUILD_VERSION__';
const PRECACHE = __PRECACHE__;
const CACHE = `clientscope-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE.map((u) => new Request(u, { cache: 'reload' }))))
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('clientscope-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skipWaiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  // Navigations get the cached app shell (hash routing: every view is index.html).
  if (req.mode === 'navigate') {
    event.respondWith(
      caches.open(CACHE).then((cache) => cache.match('./').then((hit) => hit || fetch(req)))
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(req, { ignoreSearch: true }).then((hit) => hit || fetch(req)))
  );
});
