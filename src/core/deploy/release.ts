/** What `release.json` says the deployed app's model is: the Pawprint version it came from. */
export const RELEASE_FORMAT = 'pawprint-app';
export const RELEASE_SCHEMA = 1;

export interface Release {
  format: typeof RELEASE_FORMAT;
  schema: typeof RELEASE_SCHEMA;
  version: {
    id: string;
    /** Its first tag, else the start of its id. */
    label: string;
    message: string;
    createdAt: string;
  };
  /** The registry stages the version was in when the app was made, e.g. ["production"]. */
  stages: string[];
  exportedAt: string;
  /** The Pawprint that made the app. */
  appVersion: string;
  /** Every file of the app, for its service worker to keep offline. */
  files: string[];
}

/** "v2.0 (production) · “More labels” · version 1a2b3c4d…": how the app names its model. */
export function describeRelease(release: Release): string {
  const stages = release.stages.length > 0 ? ` (${release.stages.join(', ')})` : '';
  return `Model ${release.version.label}${stages} · “${release.version.message}” · version ${release.version.id.slice(0, 12)}… committed ${release.version.createdAt.slice(0, 10)} · made with Pawprint ${release.appVersion}`;
}
