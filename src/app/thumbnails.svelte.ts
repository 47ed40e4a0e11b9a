import { SvelteMap } from 'svelte/reactivity';
import type { Store } from '../core/store';

/**
 * Object URLs for stored images, made on demand for the thumbnails on screen and
 * revoked once `limit` newer ones exist, so scrolling 10 000 images stays cheap.
 * Requests are read in one IndexedDB transaction per frame, at most
 * PER_FRAME at a time (making a Blob and its URL costs main-thread time), so a
 * scroll jump costs a few short tasks, not one per tile nor one long one. The
 * browser decodes and scales each <img> itself, off the main thread.
 */
const PER_FRAME = 24;

export class ThumbnailUrls {
  private readonly urls = new SvelteMap<string, string>();
  private readonly wanted = new Set<string>();
  private scheduled = false;

  constructor(
    private readonly store: () => Store | null,
    private readonly limit = 600,
  ) {}

  /** The URL for an image, or undefined while it is being read (the caller re-renders when it lands). */
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
    const store = this.store();
    const shas = [...this.wanted].filter((sha) => !this.urls.has(sha)).slice(0, PER_FRAME);
    for (const sha of shas) this.wanted.delete(sha);
    if (this.wanted.size > 0) {
      this.scheduled = true;
      requestAnimationFrame(() => void this.flush());
    }
    if (!store || shas.length === 0) return;
    let blobs: Map<string, Blob>;
    try {
      blobs = await store.getBlobs(shas);
    } catch {
      // A missing image shows as an empty tile; "Verify store" reports why.
      return;
    }
    for (const [sha, blob] of blobs) this.urls.set(sha, URL.createObjectURL(blob));
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
