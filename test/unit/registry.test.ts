import { describe, expect, test } from 'vitest';
import { MemoryRemote, exportBundle, importBundle, pull, push, TransferError } from '../../src/core/remote';
import { REGISTRY_PATH } from '../../src/core/remote/registry-file';
import { assignStage, readRegistry, RegistryError, unassignStage } from '../../src/core/registry';
import { checkout, commitVersion, deleteVersion, listTimeline, untag, VersionError } from '../../src/core/versions';
import { rejection } from './rejection';
import { timelineView, tutorialHistory } from './remote-fixtures';
import { at, fakeTrain, freshStore, ingestDataZip, refSnapshot } from './versions-fixtures';

const refused = (promise: Promise<unknown>) => rejection(promise, RegistryError);
const text = (bytes: Uint8Array | null) => new TextDecoder().decode(bytes!);

/** What the Registry region lists: stage → version, and the history as GTO tags, newest first. */
async function registryView(store: Awaited<ReturnType<typeof freshStore>>) {
  const registry = await readRegistry(store);
  return {
    stages: Object.fromEntries([...registry.stages].map(([stage, entry]) => [stage, entry.assignment.version])),
    history: registry.history.map((entry) => entry.tag),
  };
}

describe('stage assignments (GTO-like)', () => {
  test('promoting v2.0 (val_accuracy 0.8) to production passes the rule and is recorded as model#production#1', async () => {
    const { store, v2 } = await tutorialHistory();
    const entry = await assignStage(store, { versionId: v2, stage: 'production', message: 'Ship it', now: at(10) });
    expect(entry.tag).toBe('model#production#1');
    expect(entry.assignment).toEqual({
      kind: 'assignment',
      schema: 1,
      artifact: 'model',
      stage: 'production',
      number: 1,
      action: 'assign',
      version: v2,
      message: 'Ship it',
      createdAt: at(10).toISOString(),
      acceptance: { rule: { metric: 'val_accuracy', op: '>=', threshold: 0.8 }, value: 0.8, pass: true },
      override: null,
    });
    expect((await refSnapshot(store))['registry/model#production#1']).toBe(entry.id);
    expect(await registryView(store)).toEqual({ stages: { production: v2 }, history: ['model#production#1'] });
    const timeline = await listTimeline(store);
    expect(timeline.find((item) => item.id === v2)!.stages).toEqual(['production']);
  });

  test('a version that fails its rule is refused with the rule and its figure, and nothing is written', async () => {
    const { store, v1 } = await tutorialHistory();
    const before = await refSnapshot(store);
    const error = await refused(assignStage(store, { versionId: v1, stage: 'production' }));
    expect(error.code).toBe('rejected');
    expect(error.message).toBe(
      'v1.0 was not promoted to production: it fails its acceptance rule (the default rule: this version records none). ' +
        'Failed: val_accuracy is 0.7, but the rule asks for at least 0.8. To promote it anyway, write the reason in “Override reason”.',
    );
    expect(await refSnapshot(store)).toEqual(before);
    // A blank reason is no reason.
    await refused(assignStage(store, { versionId: v1, stage: 'production', override: '   ' }));
    expect(await refSnapshot(store)).toEqual(before);
  });

  test('an override needs a written reason, which the assignment records; the stage then holds that version', async () => {
    const { store, v1, v2 } = await tutorialHistory();
    await assignStage(store, { versionId: v2, stage: 'production', now: at(10) });
    const entry = await assignStage(store, { versionId: v1, stage: 'production', override: ' v2.0 misreads night photos; roll back ', now: at(11) });
    expect(entry.tag).toBe('model#production#2');
    expect(entry.assignment.override).toBe('v2.0 misreads night photos; roll back');
    expect(entry.assignment.acceptance).toEqual({ rule: { metric: 'val_accuracy', op: '>=', threshold: 0.8 }, value: 0.7, pass: false });
    expect(entry.assignment.message).toBe('v1.0 to production');
    expect(await registryView(store)).toEqual({ stages: { production: v1 }, history: ['model#production#2', 'model#production#1'] });
  });

  test('the rule a version was committed with is the one it is judged by', async () => {
    const store = await freshStore();
    await ingestDataZip(store, 0.01);
    await fakeTrain(store, { valAccuracy: 0.85 });
    const strict = await commitVersion(store, { message: 'Strict', tag: 'v1.0', acceptance: { metric: 'val_accuracy', op: '>=', threshold: 0.9 }, now: at(1) });
    expect(strict.version.acceptance).toEqual({ metric: 'val_accuracy', op: '>=', threshold: 0.9 });
    const error = await refused(assignStage(store, { versionId: strict.id, stage: 'production' }));
    expect(error.message).toContain('it fails its acceptance rule. Failed: val_accuracy is 0.85, but the rule asks for at least 0.9.');
    // A loss rule: at most.
    await fakeTrain(store, { valAccuracy: 0.6 });
    const lossy = await commitVersion(store, { message: 'Loss rule', acceptance: { metric: 'val_loss', op: '<=', threshold: 0.65 }, now: at(2) });
    expect((await assignStage(store, { versionId: lossy.id, stage: 'production' })).assignment.acceptance).toEqual({
      rule: { metric: 'val_loss', op: '<=', threshold: 0.65 },
      value: 0.61,
      pass: true,
    });
  });

  test('other stages are not gated, but record the check; the counter runs across stages like GTO’s', async () => {
    const { store, v1, v2 } = await tutorialHistory();
    const staging = await assignStage(store, { versionId: v1, stage: 'staging', now: at(10) });
    expect(staging.assignment.acceptance?.pass).toBe(false);
    expect(staging.assignment.override).toBeNull();
    const custom = await assignStage(store, { versionId: v2, stage: 'eu/canary-2', now: at(11) });
    expect([staging.tag, custom.tag]).toEqual(['model#staging#1', 'model#eu/canary-2#2']);
    expect((await registryView(store)).stages).toEqual({ staging: v1, 'eu/canary-2': v2 });
  });

  test('refusals: bad stage names, data-only versions, stashes, deleted versions, a version already in the stage', async () => {
    const { store, v2 } = await tutorialHistory();
    for (const stage of ['', 'Production', 'prod uction', '__proto__', 'constructor!', 'p', 'eu//prod', '-prod', 'prod-', 'pröd']) {
      expect((await refused(assignStage(store, { versionId: v2, stage }))).code, JSON.stringify(stage)).toBe('invalid-stage');
    }
    await ingestDataZip(store, 0.02);
    const dataOnly = await commitVersion(store, { message: 'Data only', now: at(3) });
    expect((await refused(assignStage(store, { versionId: dataOnly.id, stage: 'staging' }))).message).toBe('“Data only” holds data only: there is no model to put in staging.');
    expect((await refused(assignStage(store, { versionId: 'f'.repeat(64), stage: 'staging' }))).code).toBe('no-such-version');
    await assignStage(store, { versionId: v2, stage: 'production' });
    expect((await refused(assignStage(store, { versionId: v2, stage: 'production' }))).message).toBe('v2.0 is already in production.');
    expect((await refused(unassignStage(store, { stage: 'staging' }))).code).toBe('not-assigned');
  });

  test('assignments survive checkout; a version in a stage cannot be deleted until the stage moves on', async () => {
    const { store, v1, v2 } = await tutorialHistory();
    await assignStage(store, { versionId: v2, stage: 'production', now: at(10) });
    await checkout(store, v1);
    expect((await registryView(store)).stages).toEqual({ production: v2 });
    await untag(store, 'v2.0');
    const before = await refSnapshot(store);
    const error = await rejection(deleteVersion(store, v2), VersionError);
    expect(error.code).toBe('holds-stage');
    expect(error.message).toBe('This version is in production: put another version there, or take it out of the stage in Registry, first.');
    expect(await refSnapshot(store)).toEqual(before);

    const out = await unassignStage(store, { stage: 'production', now: at(11) });
    expect(out.tag).toBe('model#production!#2');
    expect((await registryView(store)).stages).toEqual({});
    await deleteVersion(store, v2);
    // The history keeps its assignments of the deleted version; verify reads them as history, not damage.
    expect((await registryView(store)).history).toEqual(['model#production!#2', 'model#production#1']);
    expect((await store.verify()).ok).toBe(true);
  });
});

describe('assignments travel with the history', () => {
  test('push writes pawprint/registry.json and the records; a pull into another browser brings the same registry', async () => {
    const { store, v1, v2 } = await tutorialHistory();
    const a = await assignStage(store, { versionId: v1, stage: 'staging', now: at(10) });
    const b = await assignStage(store, { versionId: v2, stage: 'production', now: at(11) });
    const remote = new MemoryRemote('folder');
    const pushed = await push(store, remote);
    expect(pushed.stageConflicts).toEqual([]);
    expect(JSON.parse(text(await remote.read(REGISTRY_PATH)))).toEqual({
      format: 'pawprint-registry',
      schema: 1,
      assignments: { 'model#production#2': b.id, 'model#staging#1': a.id },
    });

    const other = await freshStore();
    const pulled = await pull(other, remote);
    expect(pulled).toMatchObject({ assignmentsAdded: 2, stageConflicts: [] });
    expect(await registryView(other)).toEqual(await registryView(store));
    expect((await timelineView(other)).map((item) => item.tags)).toEqual([['v2.0'], ['v1.0']]);
    expect((await pull(other, remote)).assignmentsAdded).toBe(0);
  });

  test('pushing some versions takes only their assignments; a bundle carries them all', async () => {
    const { store, v1, v2 } = await tutorialHistory();
    await assignStage(store, { versionId: v1, stage: 'staging', now: at(10) });
    await assignStage(store, { versionId: v2, stage: 'production', now: at(11) });
    const remote = new MemoryRemote('folder');
    await push(store, remote, { versionIds: [v1] });
    expect(Object.keys(JSON.parse(text(await remote.read(REGISTRY_PATH))).assignments)).toEqual(['model#staging#1']);

    const { zip } = await exportBundle(store);
    const restored = await freshStore();
    expect((await importBundle(restored, zip, 'bundle.zip')).assignmentsAdded).toBe(2);
    expect(await registryView(restored)).toEqual(await registryView(store));
  });

  test('the same GTO tag for another assignment is a conflict: each side keeps its own and says so', async () => {
    const { store, v1, v2 } = await tutorialHistory();
    const remote = new MemoryRemote('folder');
    await push(store, remote);
    const other = await freshStore();
    await pull(other, remote);
    await assignStage(store, { versionId: v2, stage: 'production', now: at(10) });
    await assignStage(other, { versionId: v1, stage: 'production', override: 'Rollback drill', now: at(11) });
    await push(store, remote);
    const pushed = await push(other, remote);
    expect(pushed.stageConflicts).toEqual(['model#production#1']);
    expect((await registryView(other)).stages).toEqual({ production: v1 });
    const pulled = await pull(other, remote);
    expect(pulled.stageConflicts).toEqual(['model#production#1']);
    expect((await registryView(other)).stages).toEqual({ production: v1 });
  });

  test('a registry.json that lists an assignment under another tag is refused, and nothing is stored', async () => {
    const { store, v2 } = await tutorialHistory();
    const entry = await assignStage(store, { versionId: v2, stage: 'production' });
    const remote = new MemoryRemote('folder');
    await push(store, remote);
    await remote.write(REGISTRY_PATH, new TextEncoder().encode(JSON.stringify({ format: 'pawprint-registry', schema: 1, assignments: { 'model#staging#1': entry.id } })));
    const other = await freshStore();
    const error = await rejection(pull(other, remote), TransferError);
    expect(error.message).toContain('lists model#staging#1 for an assignment whose tag is model#production#1');
    expect(await refSnapshot(other)).toEqual({});
    await remote.write(REGISTRY_PATH, new TextEncoder().encode(JSON.stringify({ format: 'pawprint-registry', schema: 2, assignments: {} })));
    expect((await rejection(pull(other, remote), TransferError)).message).toContain('Update Pawprint');
  });
});
