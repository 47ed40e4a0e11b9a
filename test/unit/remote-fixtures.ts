// Two committed versions (the tutorial's v1.0 and v2.0 in miniature) to push,
// pull and bundle, and remotes that fail in the ways real ones do.
import { MemoryRemote } from '../../src/core/remote';
import type { Store } from '../../src/core/store';
import { commitVersion, listTimeline } from '../../src/core/versions';
import { at, fakeTrain, freshStore, ingestDataZip, ingestNewLabels } from './versions-fixtures';

/** 1/100 of the tutorial: 18 images in v1, 10 more in v2. */
const SCALE = 0.01;

export async function tutorialHistory(): Promise<{ store: Store; v1: string; v2: string }> {
  const store = await freshStore();
  await ingestDataZip(store, SCALE);
  await fakeTrain(store, { valAccuracy: 0.7 });
  const v1 = (await commitVersion(store, { message: 'First model', tag: 'v1.0', now: at(1) })).id;
  await ingestNewLabels(store, SCALE);
  await fakeTrain(store, { valAccuracy: 0.8 });
  const v2 = (await commitVersion(store, { message: 'More labels', tag: 'v2.0', now: at(2) })).id;
  return { store, v1, v2 };
}

/** What the Versions panel shows: each version's message, tags and whether it is HEAD, newest first. */
export async function timelineView(store: Store) {
  return (await listTimeline(store)).map(({ id, version, tags, isHead }) => ({ id, message: version.message, tags, isHead }));
}

/** A remote that fails (or aborts) on its `failAt`-th write, as a dropped connection would. */
export class FlakyRemote extends MemoryRemote {
  writes = 0;

  constructor(
    public failAt: number,
    private readonly failure: () => Error,
  ) {
    super('a flaky remote');
  }

  override async write(path: string, bytes: Uint8Array): Promise<void> {
    if (++this.writes === this.failAt) throw this.failure();
    await super.write(path, bytes);
  }
}
