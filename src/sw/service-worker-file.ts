/** The service worker's file in the build, at the root so its scope is the whole app. */
export const SERVICE_WORKER_FILE = 'sw.js';
