import type { AcceptanceRule } from '../core/objects/types';
import { openStore, type Store } from '../core/store';
import { DatasetState } from './dataset.svelte';
import { filesFromDrop } from './input/dropped-files';
import { ThumbnailUrls } from './thumbnails.svelte';
import { TrainingState } from './training.svelte';
import { VersionsState } from './versions.svelte';
import { RemotesState } from './remotes.svelte';
import { RegistryState } from './registry.svelte';
import { MonitoringState } from './monitoring.svelte';
import { FeedbackState } from './feedback.svelte';
import { installDevtools } from './devtools';
import { RuntimeState } from './runtime.svelte';
import { storeWorker } from './workers';

/** The page's state: one store connection, the runtime status, and what to show on failure. */
export class AppState {
  readonly runtime = new RuntimeState();
  store = $state.raw<Store | null>(null);
  readonly dataset: DatasetState = new DatasetState(
    () => this.store,
    () => this.refreshUsage(),
    () => this.versions.status,
  );
  readonly thumbnails = new ThumbnailUrls(() => this.store);
  readonly training: TrainingState = new TrainingState({
    store: () => this.store,
    trainingCounts: () => this.dataset.view?.trainingCounts ?? null,
    workspaceId: () => this.dataset.workspaceId,
    head: () => this.versions.status?.head ?? null,
    changed: () => this.refreshUsage(),
    backendChanged: (backend) => (this.runtime.backend = backend),
  });
  readonly versions: VersionsState = new VersionsState(
    () => this.store,
    () => this.reloadWorkspace(),
    (): AcceptanceRule => $state.snapshot(this.training.rule),
  );
  readonly remotes = new RemotesState(this.versions, () => this.refreshRefs());
  readonly registry = new RegistryState(this.versions, () => this.versions.refresh());
  readonly monitoring = new MonitoringState(this.versions, this.registry, async () => {
    await Promise.all([this.refreshUsage(), this.versions.refresh()]);
  });
  readonly feedback = new FeedbackState(() => this.refreshRefs());
  error = $state<string | null>(null);
  readonly ready: Promise<void>;

  constructor() {
    this.ready = this.open();
    installDevtools(this);
    void this.runtime.start();
  }

  private async open(): Promise<void> {
    try {
      const store = await openStore();
      this.store = store;
      await Promise.all([
        this.runtime.refreshStorage(true),
        this.runtime.refreshStore(),
        this.dataset.load(),
        this.training.load(),
        this.versions.refresh(),
        this.registry.refresh(),
        this.monitoring.refresh(),
      ]);
      void this.dataset.check();
      this.listenToOtherTabs();
    } catch (error) {
      this.error = `Pawprint cannot open its storage in this browser: ${(error as Error).message}`;
      throw error;
    }
  }

  /** A drop anywhere on the page goes to the data set. */
  async drop(transfer: DataTransfer): Promise<void> {
    await this.dataset.addFiles(await filesFromDrop(transfer));
  }

  /** Hashes and stores files in the store worker, then refreshes what the status line shows. */
  async putFiles(files: Blob[]) {
    await this.ready;
    const result = await storeWorker.putFiles(files);
    await this.refreshUsage();
    return result;
  }

  /** After refs moved (commit, checkout, another tab): re-read the workspace and the run. */
  async reloadWorkspace(): Promise<void> {
    if (!this.store) return;
    await Promise.all([this.dataset.load(), this.training.load(), this.refreshUsage()]);
  }

  /** Workers announce every write on a BroadcastChannel; any tab refreshes what it shows. */
  private listenToOtherTabs(): void {
    const channel = new BroadcastChannel('pawprint');
    let pending: Promise<void> | null = null;
    channel.onmessage = () => {
      pending ??= this.refreshRefs().then(() => {
        pending = null;
      });
    };
  }

  /** After refs moved anywhere: the workspace, the run, the timeline, the registry and the monitoring records, re-read. */
  private async refreshRefs(): Promise<void> {
    await Promise.all([this.reloadWorkspace(), this.versions.refresh(), this.registry.refresh(), this.monitoring.refresh()]);
  }

  async refreshUsage(): Promise<void> {
    if (!this.store) return;
    await Promise.all([this.runtime.refreshStore(), this.runtime.refreshStorage()]);
  }
}
