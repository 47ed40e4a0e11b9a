import { labelProblem } from '../core/dataset/edit';
import type { Split } from '../core/objects/types';
import { cameraProblem } from './input/camera-problem';
import type { DroppedFile } from '../core/dataset/types';

/** Frames taken per second while "Capture" is held. */
export const FRAMES_PER_SECOND = 5;
const JPEG_QUALITY = 0.9;

/** A captured frame: the file the review gets, and a URL for its thumbnail. */
export interface CapturedFrame extends DroppedFile {
  url: string;
}

/**
 * "Use camera": a preview from getUserMedia (permission is asked on that
 * click only), frames taken while "Capture" is held, kept as JPEG files named
 * by time under <split>/<class>/, then handed to the review like a drop.
 */
export class CameraState {
  stream = $state.raw<MediaStream | null>(null);
  opening = $state(false);
  error = $state<string | null>(null);
  label = $state('');
  split = $state<Split>('train');
  frames = $state.raw<CapturedFrame[]>([]);
  capturing = $state(false);
  /** For benchmarks: when the last Capture began, and when its first thumbnail was shown. */
  timings = $state<{ captureStart?: number; firstThumbnail?: number }>({});

  private timer: ReturnType<typeof setInterval> | null = null;
  private canvas: HTMLCanvasElement | null = null;

  async open(): Promise<void> {
    if (this.stream || this.opening) return;
    this.error = null;
    if (!navigator.mediaDevices?.getUserMedia) {
      this.error = 'This browser offers no camera to this page (a camera needs https or localhost, and a browser that supports it).';
      return;
    }
    this.opening = true;
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 } }, audio: false });
    } catch (error) {
      this.error = cameraProblem(error);
    } finally {
      this.opening = false;
    }
  }

  /** Stops the camera; frames not yet reviewed are dropped. */
  close(): void {
    this.stopCapture();
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
    this.discardFrames();
  }

  /** Why Capture cannot start now, or null. */
  captureProblem(): string | null {
    if (this.label.trim() === '') return 'Type or pick the class these frames show before capturing.';
    return labelProblem(this.label.trim());
  }

  /** Starts taking frames from `video` until stopCapture (the button is let go). */
  startCapture(video: HTMLVideoElement): void {
    if (!this.stream || this.capturing) return;
    const problem = this.captureProblem();
    if (problem) {
      this.error = problem;
      return;
    }
    this.error = null;
    this.capturing = true;
    this.timings = { captureStart: performance.now() };
    this.grab(video);
    this.timer = setInterval(() => this.grab(video), 1000 / FRAMES_PER_SECOND);
  }

  stopCapture(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.capturing = false;
  }

  /** The frames for the review, taken out of the camera panel (which keeps running). */
  takeFrames(): DroppedFile[] {
    const files = this.frames.map(({ path, blob }) => ({ path, blob }));
    this.discardFrames();
    return files;
  }

  discardFrames(): void {
    for (const frame of this.frames) URL.revokeObjectURL(frame.url);
    this.frames = [];
  }

  /** Called by the thumbnail once it has loaded: the Capture → thumbnail figure. */
  shown(): void {
    if (this.timings.captureStart !== undefined && this.timings.firstThumbnail === undefined) {
      this.timings.firstThumbnail = performance.now();
    }
  }

  private grab(video: HTMLVideoElement): void {
    if (video.videoWidth === 0) return;
    this.canvas ??= document.createElement('canvas');
    const canvas = this.canvas;
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d')!.drawImage(video, 0, 0);
    const taken = new Date();
    const folder = `${this.split}/${this.label.trim()}`;
    // The browser encodes the JPEG off the main thread.
    canvas.toBlob(
      (blob) => {
        if (!blob || !this.stream) return;
        const name = `capture-${timeName(taken)}.jpg`;
        const file = new File([blob], name, { type: 'image/jpeg', lastModified: taken.getTime() });
        this.frames = [...this.frames, { path: uniquePath(`${folder}/${name}`, this.frames), blob: file, url: URL.createObjectURL(blob) }];
      },
      'image/jpeg',
      JPEG_QUALITY,
    );
  }
}

/** 2026-12-04T20-36-07-123Z: sortable, and valid in every file system. */
function timeName(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

function uniquePath(path: string, frames: readonly CapturedFrame[]): string {
  if (!frames.some((frame) => frame.path === path)) return path;
  for (let i = 2; ; i++) {
    const next = path.replace(/\.jpg$/, `-${i}.jpg`);
    if (!frames.some((frame) => frame.path === next)) return next;
  }
}
