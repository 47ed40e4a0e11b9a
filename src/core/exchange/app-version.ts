import type { Version } from '../objects/types';

/** The Pawprint version that trained this version's model (RunInfo.appVersion), or null for data only. */
export function appVersionOf(version: Version): string | null {
  const appVersion = version.run?.['appVersion'];
  return typeof appVersion === 'string' ? appVersion : null;
}
