import { checkAcceptance } from '../core/registry/acceptance-check';
import { PRODUCTION } from '../core/registry/names';
import type { Registry } from '../core/registry/read-registry';
import { download, downloadName } from './download';
import type { VersionsState } from './versions.svelte';
import { versionsWorker } from './workers';
import { guarded } from './guarded';

/** The Registry region: each stage's version, the assignment history, the assign form and "Download app". */
export class RegistryState {
  registry = $state.raw<Registry | null>(null);
  /** The version the form assigns; '' until the user picks one (then HEAD's, else the newest with a model). */
  versionId = $state('');
  stage = $state(PRODUCTION);
  message = $state('');
  /** Why a version that fails its rule goes to production anyway. */
  override = $state('');
  busy = $state(false);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);

  /** Committed versions with a model: what can be put in a stage. */
  readonly candidates = $derived.by(() => this.versions.timeline.filter((item) => !item.isStash && item.version.model !== null));
  readonly selected = $derived(
    this.candidates.find((item) => item.id === this.versionId) ?? this.candidates.find((item) => item.isHead) ?? this.candidates[0] ?? null,
  );
  /** The selected version's rule, its figure and the verdict: shown before anything is assigned. */
  readonly check = $derived(this.selected ? checkAcceptance(this.selected.version) : null);
  /** Production and a failing rule: the form asks for a reason. */
  readonly gated = $derived(this.stage.trim() === PRODUCTION && this.check !== null && !this.check.pass);
  /** Stage → version id, for the Monitoring region's default model and the page's labels. */
  readonly stageVersions = $derived(new Map([...(this.registry?.stages ?? new Map())].map(([stage, entry]) => [stage, entry.assignment.version])));

  constructor(
    private readonly versions: VersionsState,
    /** After a write: tells the other tabs and re-reads what refs decide (this registry, the timeline's stages). */
    private readonly changed: () => Promise<void>,
  ) {}

  async refresh(): Promise<void> {
    this.registry = await versionsWorker.registry();
  }

  async assign(): Promise<void> {
    const version = this.selected;
    if (!version) return;
    await this.run(async () => {
      const stage = this.stage.trim();
      const entry = await versionsWorker.assign({ versionId: version.id, stage, message: this.message, ...(this.gated ? { override: this.override } : {}) });
      this.notice = `${this.versions.labelOf(version.id)} is now in ${stage} (${entry.tag})${entry.assignment.override ? ', overriding its acceptance rule' : ''}.`;
      this.message = '';
      this.override = '';
    });
  }

  async unassign(stage: string): Promise<void> {
    await this.run(async () => {
      const entry = await versionsWorker.unassign(stage);
      this.notice = `${this.versions.labelOf(entry.assignment.version)} was taken out of ${stage} (${entry.tag}).`;
    });
  }

  /** "Download app": a static page that classifies with this version's model. */
  async downloadApp(versionId: string): Promise<void> {
    await this.run(async () => {
      const zip = await versionsWorker.exportApp(versionId, __APP_VERSION__);
      download(`${downloadName(this.versions.labelOf(versionId))}-app.zip`, zip as Uint8Array<ArrayBuffer>, 'application/zip');
    }, false);
  }

  private async run(operation: () => Promise<unknown>, writes = true): Promise<void> {
    await guarded(this, operation);
    if (writes) await this.changed();
  }
}
