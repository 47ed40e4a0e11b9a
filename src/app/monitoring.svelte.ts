import * as Comlink from 'comlink';
import type { MonitoringBatch } from '../core/monitoring/monitoring-overview';
import { monitoringCsv, monitoringJson } from '../core/monitoring/export-record';
import { DEFAULT_THRESHOLDS, summarizeRecord, type MonitoringThresholds } from '../core/monitoring/summarize';
import type { MonitoringRecord } from '../core/objects/types';
import { PRODUCTION } from '../core/registry/names';
import { countOf, groupDigits } from '../core/format/numbers';
import { download, downloadName } from './download';
import type { DroppedFile } from '../core/dataset/types';
import type { RegistryState } from './registry.svelte';
import type { VersionsState } from './versions.svelte';
import { trainWorker, versionsWorker } from './workers';

/** Rows of the predictions table per page: a batch of thousands is shown a page at a time. */
export const ROWS_PER_PAGE = 50;

let nextJobId = 1;

/** The Monitoring region: batch predict with a chosen model, the batches kept, and the selected one's figures. */
export class MonitoringState {
  /** The kept batches, newest first. */
  batches = $state.raw<MonitoringBatch[]>([]);
  /** The batch shown, whole (its predictions), once read; null before the first batch. */
  shown = $state.raw<{ id: string; record: MonitoringRecord } | null>(null);
  /** The model batch predict uses; '' until the user picks one (then production's, else HEAD's, else the newest). */
  versionId = $state('');
  thresholds = $state<MonitoringThresholds>({ ...DEFAULT_THRESHOLDS });
  page = $state(0);
  busy = $state(false);
  progress = $state<{ fraction: number; text: string } | null>(null);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  private jobId = 0;

  readonly candidates = $derived.by(() => this.registry.candidates);
  readonly model = $derived.by(() => {
    const chosen = this.candidates.find((item) => item.id === this.versionId);
    const production = this.registry.stageVersions.get(PRODUCTION);
    return chosen ?? this.candidates.find((item) => item.id === production) ?? this.candidates.find((item) => item.isHead) ?? this.candidates[0] ?? null;
  });
  /** The shown batch as listed: its baseline (null while the list and the record disagree). */
  readonly batch = $derived(this.batches.find((entry) => entry.id === this.shown?.id) ?? null);
  readonly summary = $derived(this.shown && this.batch ? summarizeRecord(this.shown.record, this.batch.baseline.training, this.thresholds) : null);
  readonly pages = $derived(Math.max(1, Math.ceil((this.shown?.record.predictions.length ?? 0) / ROWS_PER_PAGE)));
  readonly rows = $derived(this.shown?.record.predictions.slice(this.page * ROWS_PER_PAGE, (this.page + 1) * ROWS_PER_PAGE) ?? []);

  constructor(
    private readonly versions: VersionsState,
    private readonly registry: RegistryState,
    /** After a batch was stored: tells the other tabs and re-reads the batches, storage figures and the timeline's sizes. */
    private readonly changed: () => Promise<void>,
  ) {}

  /** Re-reads the list of batches; the one shown stays, unless it is gone (then the newest is shown). */
  async refresh(): Promise<void> {
    this.batches = await versionsWorker.monitoring();
    if (this.batches.some((entry) => entry.id === this.shown?.id)) return;
    const newest = this.batches[0];
    if (newest) await this.select(newest.id);
    else this.shown = null;
  }

  /** Shows a kept batch: its predictions are read from the store (a batch just made is at hand). */
  async select(id: string, record?: MonitoringRecord): Promise<void> {
    this.shown = { id, record: record ?? (await versionsWorker.monitoringRecord(id)) };
    this.page = 0;
  }

  /** Predicts every image of a drop (images, folders, zips) with the chosen model and keeps the batch. */
  async predict(files: DroppedFile[], name: string): Promise<void> {
    const model = this.model;
    if (this.busy) return;
    this.notice = null;
    if (!model) {
      this.error = 'There is no committed version with a model yet: train one and commit it, then predict.';
      return;
    }
    if (files.length === 0) {
      // An empty folder: the browser gives no files, so not even its name.
      this.error = 'Nothing to predict: the folder or drop holds no files.';
      return;
    }
    this.jobId = nextJobId++;
    this.busy = true;
    this.error = null;
    this.notice = null;
    this.progress = { fraction: 0, text: 'Reading the images…' };
    const started = performance.now();
    try {
      const { id, record } = await trainWorker.batchPredict(
        this.jobId,
        { versionId: model.id, name, files },
        Comlink.proxy(({ done, total }: { done: number; total: number }) => {
          const seconds = (performance.now() - started) / 1000;
          this.progress = { fraction: done / total, text: `Predicting ${groupDigits(done)} / ${groupDigits(total)} · ${groupDigits(done / Math.max(seconds, 0.001))} images/s` };
        }),
      );
      // The batch is shown as soon as it is kept; the rest of the page re-reads after.
      this.batches = await versionsWorker.monitoring();
      await this.select(id, record);
      this.notice = `Predicted ${countOf(record.predictions.length, 'image')} of ${name} with ${this.versions.labelOf(model.id)}${record.errors.length ? `; ${countOf(record.errors.length, 'file')} could not be used` : ''}.`;
      await this.changed();
    } catch (error) {
      this.error = (error as Error).name === 'AbortError' ? 'Batch predict cancelled: nothing was kept.' : `Batch predict failed: ${(error as Error).message}`;
    } finally {
      this.busy = false;
      this.progress = null;
    }
  }

  cancel(): void {
    void trainWorker.stop(this.jobId);
  }

  downloadCsv(): void {
    const shown = this.shown;
    if (shown) download(`${this.fileName(shown.record)}.csv`, monitoringCsv(shown.record), 'text/csv');
  }

  downloadJson(): void {
    const shown = this.shown;
    if (shown && this.summary) download(`${this.fileName(shown.record)}.json`, monitoringJson(shown.id, shown.record, this.summary), 'application/json');
  }

  private fileName(record: MonitoringRecord): string {
    return `${downloadName(this.versions.labelOf(record.version))}-monitoring-${record.createdAt.slice(0, 19).replace(/[:T]/g, '-')}`;
  }
}
