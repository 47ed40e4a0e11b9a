// The app "Download app" writes: classifies a dropped or picked image, or the camera, with the
// model in ./model/, exactly as Pawprint's "Classify an image" does (same preprocessing, same
// predictImage), and says which Pawprint version the model is.
import type { Tensor } from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { describeRelease, type Release } from '../core/deploy/release';
import type { ModelMetadata } from '../core/exchange/model-metadata';
import { classifyImage, type Classification } from '../core/runs/classify';
import { squareRgba } from '../workers/lib/decode-image';
import { startBackend } from './backend';
import { openCamera } from './camera';

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const releaseLine = element<HTMLParagraphElement>('release');
const pick = element<HTMLInputElement>('pick');
const cameraButton = element<HTMLButtonElement>('camera');
const video = element<HTMLVideoElement>('video');
const result = element<HTMLDivElement>('result');
const preview = element<HTMLImageElement>('preview');
const list = element<HTMLOListElement>('probabilities');
const latency = element<HTMLParagraphElement>('latency');
const errorLine = element<HTMLParagraphElement>('error');

let model: { net: LayersModel; labels: string[]; size: number } | null = null;
let camera: MediaStream | null = null;

function showError(message: string | null): void {
  errorLine.hidden = message === null;
  errorLine.textContent = message ?? '';
}

function show(classification: Classification): void {
  list.replaceChildren(
    ...classification.probabilities.map(({ label, probability }) => {
      const item = document.createElement('li');
      const name = document.createElement('span');
      name.textContent = label;
      const meter = Object.assign(document.createElement('meter'), { min: 0, max: 1, value: probability });
      item.append(name, ' ', meter, ` ${(probability * 100).toFixed(1)} %`);
      return item;
    }),
  );
  latency.textContent = `Inference: ${classification.latencyMs.toFixed(1)} ms`;
  result.hidden = false;
}

async function classify(source: ImageBitmapSource): Promise<Classification> {
  if (!model) throw new Error('The model is still loading.');
  const { net } = model;
  return classifyImage((images) => net.predict(images) as Tensor, await squareRgba(source, model.size), model.size, model.labels);
}

async function classifyFile(file: File): Promise<void> {
  showError(null);
  stopCamera();
  URL.revokeObjectURL(preview.src);
  preview.src = URL.createObjectURL(file);
  preview.alt = file.name;
  preview.hidden = false;
  try {
    show(await classify(file));
  } catch (error) {
    result.hidden = true;
    showError(`Could not classify ${file.name}: ${(error as Error).message || 'the browser cannot read this image'}.`);
  }
}

function stopCamera(): void {
  camera?.getTracks().forEach((track) => track.stop());
  camera = null;
  video.hidden = true;
  cameraButton.textContent = 'Use camera';
}

/** Classifies frame after frame while the camera is on: one at a time, so a slow device is never queued behind. */
async function watch(stream: MediaStream): Promise<void> {
  preview.hidden = true;
  while (camera === stream) {
    if (video.readyState >= 2) show(await classify(video));
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}

async function toggleCamera(): Promise<void> {
  showError(null);
  if (camera) return stopCamera();
  try {
    video.hidden = false;
    camera = await openCamera(video);
    cameraButton.textContent = 'Stop camera';
    void watch(camera).catch((error: Error) => {
      stopCamera();
      showError(`The camera stopped: ${error.message}`);
    });
  } catch (error) {
    stopCamera();
    showError((error as Error).message);
  }
}

async function start(): Promise<void> {
  const [release, metadata, backend] = await Promise.all([
    fetch('./release.json').then((response) => response.json() as Promise<Release>),
    fetch('./model/metadata.json').then((response) => response.json() as Promise<ModelMetadata>),
    startBackend(),
  ]);
  model = { net: await loadLayersModel('./model/model.json'), labels: metadata.labels, size: metadata.imageSize };
  releaseLine.textContent = `${describeRelease(release)} · runs on ${backend === 'wasm' ? 'WebAssembly' : 'JavaScript'}`;
  document.title = `${metadata.labels.join(' / ')} — ${release.version.label}`;
  pick.disabled = false;
  cameraButton.disabled = false;
}

pick.addEventListener('change', () => {
  const file = pick.files?.[0];
  pick.value = '';
  if (file) void classifyFile(file);
});
cameraButton.addEventListener('click', () => void toggleCamera());
window.addEventListener('dragover', (event) => {
  if (!event.dataTransfer?.types.includes('Files')) return;
  event.preventDefault();
  document.body.classList.add('dragging');
});
window.addEventListener('dragleave', (event) => {
  if (!event.relatedTarget) document.body.classList.remove('dragging');
});
window.addEventListener('drop', (event) => {
  document.body.classList.remove('dragging');
  const file = event.dataTransfer?.files[0];
  if (!file) return;
  event.preventDefault();
  void classifyFile(file);
});

start().catch((error: Error) => {
  releaseLine.textContent = 'The model could not be loaded.';
  showError(`${error.message} Serve this folder from a web server (file:// pages cannot load the model).`);
});
if ('serviceWorker' in navigator) {
  // Offline after the first visit; without it the page still works online.
  navigator.serviceWorker.register('./sw.js').catch((error: Error) => console.warn('Offline use is not available:', error.message));
}
