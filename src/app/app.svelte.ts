import type { AcceptanceRule } from '../core/objects/types';
import { openStore, type Store } from '../core/store';
import { CameraState } from './camera.svelte';
import { DatasetState } from './dataset.svelte';
import { filesFromDrop } from './input/dropped-files';
import { ThumbnailUrls } from './thumbnails.svelte';
import { TrainingState } from './training.svelte';
import { VersionsState } from './versions.svelte';
import { RemotesState } from './remotes.svelte';
import { ExperimentsState } from './experiments.svelte';
import { PipelineState } from './pipeline.svelte';
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
    () => this.changed(),
    () => this.versions.status,
  );
  readonly thumbnails = new ThumbnailUrls();
  readonly camera = new CameraState();
  readonly training: TrainingState = new TrainingState({
    store: () => this.store,
    trainingCounts: () => this.dataset.view?.trainingCounts ?? null,
    workspaceId: () => this.dataset.workspaceId,
    head: () => this.versions.status?.head ?? null,
    changed: () => this.changed(),
    backendChanged: (backend) => (this.runtime.backend = backend),
    queueTraining: (): boolean => this.experiments.runningHere && this.experiments.live !== null,
  });
  readonly versions: VersionsState = new VersionsState(
    () => this.store,
    () => this.changed(),
    (): AcceptanceRule => $state.snapshot(this.training.rule),
  );
  readonly remotes = new RemotesState(this.versions, () => this.changed());
  readonly experiments: ExperimentsState = new ExperimentsState({
    store: () => this.store,
    training: this.training,
    workspaceId: () => this.dataset.workspaceId,
    trainingCounts: () => this.dataset.view?.trainingCounts ?? null,
    head: () => this.versions.status?.head ?? null,
    changed: () => this.changed(),
  });
  readonly pipeline = new PipelineState({ dataset: this.dataset, training: this.training });
  readonly registry = new RegistryState(this.versions, () => this.changed());
  readonly monitoring = new MonitoringState(this.versions, this.registry, () => this.changed());
  readonly feedback = new FeedbackState(() => this.changed());
  /** Writes are announced to the other tabs here; this object does not hear its own messages. */
  private readonly channel = new BroadcastChannel('pawprint');
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
      await Promise.all([this.runtime.refreshStorage(true), this.runtime.refreshStore(), ...this.readRefs()]);
      void this.dataset.check();
      // Interrupted work (a tab closed mid-import) is found under the store lock and offered for Clean up, never deleted unasked.
      void this.versions.findLeftovers();
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

  /**
   * After a write this tab made (an import, an edit, a run, a commit, a pull…): the other
   * tabs are told, and this one re-reads what it shows once.
   */
  private async changed(): Promise<void> {
    this.channel.postMessage({ type: 'changed' });
    await this.refreshRefs();
  }

  /** Another tab wrote: re-read what this one shows (one refresh at a time). */
  private listenToOtherTabs(): void {
    let pending: Promise<void> | null = null;
    this.channel.onmessage = () => {
      pending ??= this.refreshRefs().then(() => {
        pending = null;
      });
    };
  }

  /** After refs moved anywhere: the workspace, the run, the timeline, the registry, the monitoring records and the store figures, re-read. */
  private async refreshRefs(): Promise<void> {
    if (!this.store) return;
    await Promise.all([...this.readRefs(), this.refreshUsage()]);
  }

  /** What every region shows that refs decide: the workspace, the run, the timeline, the registry, monitoring and experiments. */
  private readRefs(): Promise<void>[] {
    return [this.dataset.load(), this.training.load(), this.versions.refresh(), this.registry.refresh(), this.monitoring.refresh(), this.experiments.load()];
  }

  async refreshUsage(): Promise<void> {
    if (!this.store) return;
    await Promise.all([this.runtime.refreshStore(), this.runtime.refreshStorage()]);
  }
}
