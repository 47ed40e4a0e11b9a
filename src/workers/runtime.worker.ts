// Starts tfjs off the main thread and reports which backend and adapter it got.
import * as Comlink from 'comlink';
import { describeAdapter } from '../core/runtime/adapter';
import { activateBackend } from '../core/runtime/backend';

const api = {
  async start() {
    const adapter = await describeAdapter(navigator.gpu);
    const backend = await activateBackend();
    return { backend, adapter };
  },
};

export type RuntimeWorkerApi = typeof api;
Comlink.expose(api);
