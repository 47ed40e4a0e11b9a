// bench:train's profiling page: runs the profile in a worker (profile.worker.ts), as the app
// trains, and exposes it to the benchmark as window.profileBackend.
import * as Comlink from 'comlink';
import type { ProfileApi } from './profile.worker';

const worker = Comlink.wrap<ProfileApi>(new Worker(new URL('./profile.worker.ts', import.meta.url), { type: 'module' }));

declare global {
  interface Window {
    profileBackend: ProfileApi['profileBackend'];
    profileFeatures: ProfileApi['profileFeatures'];
    profileReady: boolean;
  }
}

window.profileBackend = (name, options) => worker.profileBackend(name, options);
window.profileFeatures = (layer, options) => worker.profileFeatures(layer, options);
window.profileReady = true;
