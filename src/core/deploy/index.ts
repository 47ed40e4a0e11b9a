// Deploy: "Download app", a static page that classifies with one version's model.
export { exportApp } from './export-app';
