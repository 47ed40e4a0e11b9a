import { describe, expect, test } from 'vitest';
import { commitVersion, MAX_TAG_LENGTH, tagNameProblem, tagsByVersion, tagVersion, untag } from '../../src/core/versions';
import { at, freshStore, ingestDataZip, ingestNewLabels, refSnapshot } from './versions-fixtures';

describe('tagNameProblem', () => {
  test.each(['v1.0', 'v2.0-rc1', 'exp/lr-0.01', 'best', 'a'.repeat(MAX_TAG_LENGTH), 'v1.0_final', 'release/2024/05'])('accepts %s', (name) => {
    expect(tagNameProblem(name)).toBeNull();
  });

  test.each([
    ['', /needs a name/],
    ['a'.repeat(MAX_TAG_LENGTH + 1), /at most 100 characters/],
    ['v 1', /spaces/],
    ['v1\t', /spaces/],
    ['v1\u0001', /control characters/],
    ['v1..2', /"\.\."/],
    ['v1~1', /~ \^ : \? \* \[ \\/],
    ['v1^', /~/],
    ['a:b', /~/],
    ['what?', /~/],
    ['v*', /~/],
    ['v[1]', /~/],
    ['a\\b', /~/],
    ['-v1', /start with "-"/],
    ['.hidden', /start with "\."/],
    ['exp/.hidden', /start with "\."/],
    ['v1.lock', /end with "\.lock"/],
    ['v1.lock/x', /end with "\.lock"/],
    ['exp/', /"\/" only between names/],
    ['/exp', /"\/" only between names/],
    ['exp//1', /"\/" only between names/],
    ['v1.', /end with "\."/],
    ['v@{1}', /@\{/],
    ['@', /"@" alone/],
  ])('refuses %j', (name, problem) => {
    expect(tagNameProblem(name)).toMatch(problem);
  });
});

describe('tags', () => {
  async function twoVersions() {
    const store = await freshStore();
    await ingestDataZip(store, 0.01);
    const v1 = await commitVersion(store, { message: 'one', tag: 'v1.0', now: at(1) });
    await ingestNewLabels(store, 0.01);
    const v2 = await commitVersion(store, { message: 'two', now: at(2) });
    return { store, v1, v2 };
  }

  test('tag later, several tags per version in natural order, untag', async () => {
    const { store, v1, v2 } = await twoVersions();
    await tagVersion(store, v2.id, 'v10.0');
    await tagVersion(store, v2.id, 'v2.0');
    await tagVersion(store, v2.id, 'v2.0'); // already there: nothing to do
    expect(await tagsByVersion(store)).toEqual(new Map([[v1.id, ['v1.0']], [v2.id, ['v2.0', 'v10.0']]]));
    await untag(store, 'v10.0');
    expect((await tagsByVersion(store)).get(v2.id)).toEqual(['v2.0']);
    await expect(untag(store, 'v10.0')).rejects.toMatchObject({ code: 'no-such-tag' });
  });

  test('an existing tag moves only explicitly', async () => {
    const { store, v1, v2 } = await twoVersions();
    const before = await refSnapshot(store);
    await expect(tagVersion(store, v2.id, 'v1.0')).rejects.toMatchObject({ code: 'tag-exists' });
    expect(await refSnapshot(store)).toEqual(before);
    await tagVersion(store, v2.id, 'v1.0', { move: true });
    expect(await store.getRef('tags/v1.0')).toBe(v2.id);
    expect((await tagsByVersion(store)).has(v1.id)).toBe(false);
  });

  test('refuses bad names and versions not on the timeline', async () => {
    const { store, v2 } = await twoVersions();
    await expect(tagVersion(store, v2.id, 'v2..0')).rejects.toMatchObject({ code: 'invalid-tag' });
    await expect(tagVersion(store, 'f'.repeat(64), 'v9')).rejects.toMatchObject({ code: 'no-such-version' });
    const workspace = (await store.getRef('workspace'))!;
    await expect(tagVersion(store, workspace, 'v9')).rejects.toMatchObject({ code: 'no-such-version' }); // a data set, not a version
    expect(await store.listRefs('tags/')).toHaveLength(1);
  });
});
