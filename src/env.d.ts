/** The app's version from package.json, set by Vite at build time; recorded with every run. */
declare const __APP_VERSION__: string;
