/**
 * Registers the offline service worker, in production builds only (the dev server serves
 * modules that change on every edit), after the page has loaded so precaching does not
 * compete with the first paint. Without it the app still works, only not offline.
 * tools/vite-service-worker.mjs writes sw.js.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register(`${import.meta.env.BASE_URL}sw.js`).catch((err: unknown) => {
      console.warn('Pawprint will not work offline: its service worker could not be registered.', err);
    });
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
