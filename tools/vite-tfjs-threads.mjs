// A Vite plugin that lets tfjs-backend-wasm's threaded build start in a bundled app.
//
// tfjs starts the build's pthreads (emscripten workers) with a script made of
// `wasmFactoryThreadedSimd.toString()`: the source of a function that, as emscripten wrote it,
// reads `_scriptDir` from the closure around it. In a worker that closure does not exist, so
// emscripten guards the read with `typeof _scriptDir !== "undefined"`; but once bundled, the
// minifier knows `_scriptDir` is declared and drops the guard, every pthread dies with
// "ReferenceError: e is not defined", and tfjs waits forever for its 8 workers to load: the
// page hangs as soon as it is cross-origin isolated. This moves the declaration into the
// function, so its source is whole on its own. (`_scriptDir` is always undefined where Pawprint
// runs tfjs: in a worker, with no `document.currentScript` and no `__filename`.)

const FILE = /[\\/]@tensorflow[\\/]tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/;

const BEFORE = `  var _scriptDir = typeof document !== 'undefined' && document.currentScript ? document.currentScript.src : undefined;
  if (typeof __filename !== 'undefined') _scriptDir = _scriptDir || __filename;
  return (
function(WasmBackendModuleThreadedSimd) {
`;

const AFTER = `  return (
function(WasmBackendModuleThreadedSimd) {
  var _scriptDir = typeof document !== 'undefined' && document.currentScript ? document.currentScript.src : undefined;
`;

/**
 * The patched source, or an error when tfjs' file no longer has the text this patch expects
 * (a new tfjs version: check whether it still needs the patch).
 * @param {string} code
 * @returns {string}
 */
export function patchThreadedFactory(code) {
  const at = code.indexOf(BEFORE);
  if (at < 0 || code.indexOf(BEFORE, at + 1) >= 0) {
    throw new Error('tfjs-backend-wasm-threaded-simd.js has changed: tools/vite-tfjs-threads.mjs no longer knows how to make its pthreads start.');
  }
  return code.slice(0, at) + AFTER + code.slice(at + BEFORE.length);
}

/** @returns {import('vite').Plugin} */
export function tfjsThreads() {
  return {
    name: 'pawprint-tfjs-threads',
    enforce: 'pre',
    transform(code, id) {
      if (!FILE.test(id.split('?')[0] ?? '')) return null;
      return { code: patchThreadedFactory(code), map: null };
    },
  };
}
