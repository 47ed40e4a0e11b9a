import { SvelteMap } from 'svelte/reactivity';
import { storeWorker } from './workers';

/**
 * Object URLs of thumbnails for the images on screen, made on demand and
 * revoked once `limit` newer ones exist, so scrolling 10 000 images stays
 * cheap. The store worker reads each image and decodes and scales it
 * (makeThumbnail): the main thread only wraps the small result in a URL, at
 * most PER_FRAME per animation frame, so a scroll jump costs a few short
 * tasks, not one per tile nor one long one.
 */
const PER_FRAME = 24;
/** Tiles are 96 CSS px: twice that stays sharp on a high-density screen. */
const SIZE = Math.round(96 * Math.min(2, Math.max(1, globalThis.devicePixelRatio || 1)));

export class ThumbnailUrls {
  private readonly urls = new SvelteMap<string, string>();
  private readonly wanted = new Set<string>();
  private scheduled = false;

  constructor(private readonly limit = 600) {}

  /** The URL for an image, or undefined while it is being made (the caller re-renders when it lands). */
  get(sha256: string): string | undefined {
    const url = this.urls.get(sha256);
    if (url === undefined) this.request(sha256);
    return url;
  }

  private request(sha256: string): void {
    this.wanted.add(sha256);
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const shas = [...this.wanted].filter((sha) => !this.urls.has(sha)).slice(0, PER_FRAME);
    for (const sha of shas) this.wanted.delete(sha);
    if (this.wanted.size > 0) {
      this.scheduled = true;
      requestAnimationFrame(() => void this.flush());
    }
    if (shas.length === 0) return;
    const thumbnails = await storeWorker.thumbnails(shas, SIZE);
    for (const [sha, thumbnail] of thumbnails) this.urls.set(sha, URL.createObjectURL(thumbnail));
    this.evict();
  }

  private evict(): void {
    for (const [sha, url] of this.urls) {
      if (this.urls.size <= this.limit) return;
      URL.revokeObjectURL(url);
      this.urls.delete(sha);
    }
  }
}
