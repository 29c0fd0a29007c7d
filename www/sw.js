// loyalty-lens service worker: keeps the app's own files (and nothing else) so the app opens
// offline after its first load. Customer files are never fetched, so they never pass through here
// and are never cached. The build (www/postbuild.mjs) fills in the file list and the version.
const FILES = self.__FILES__;
const VERSION = self.__VERSION__;
const CACHE = `loyalty-lens-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith('loyalty-lens-') && k !== CACHE).map((k) => caches.delete(k)))),
  );
});

// One build at a time: every file comes from the cache of the active version, so the page, its
// script, the worker and their wasm always belong together. A new build installs in the background
// and takes over when every tab of the old one is closed.
self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const key = request.mode === 'navigate' ? './' : request;
      const hit = await cache.match(key, { ignoreSearch: true });
      return hit || fetch(request);
    }),
  );
});
