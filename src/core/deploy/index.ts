// Deploy: "Download app", a static page that classifies with one version's model.
export { exportApp } from './export-app';
export { appZip, type AppAssets, type AppZipInput } from './app-zip';
export { describeRelease, RELEASE_FORMAT, RELEASE_SCHEMA, type Release } from './release';
