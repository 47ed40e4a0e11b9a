import { SvelteMap } from 'svelte/reactivity';
import type { Store } from '../core/store';

/**
 * Object URLs for stored images, made on demand for the thumbnails on screen and
 * revoked once `limit` newer ones exist, so scrolling 10 000 images stays cheap.
 * The browser decodes and scales the <img> itself, off the main thread.
 */
export class ThumbnailUrls {
  private readonly urls = new SvelteMap<string, string>();
  private readonly loading = new Set<string>();

  constructor(
    private readonly store: () => Store | null,
    private readonly limit = 600,
  ) {}

  /** The URL for an image, or undefined while it is being read (the caller re-renders when it lands). */
  get(sha256: string): string | undefined {
    const url = this.urls.get(sha256);
    if (url === undefined) void this.load(sha256);
    return url;
  }

  private async load(sha256: string): Promise<void> {
    const store = this.store();
    if (!store || this.loading.has(sha256)) return;
    this.loading.add(sha256);
    try {
      const blob = await store.getBlob(sha256);
      this.urls.set(sha256, URL.createObjectURL(blob));
      this.evict();
    } catch {
      // A missing image shows as an empty tile; "Verify store" reports why.
    } finally {
      this.loading.delete(sha256);
    }
  }

  private evict(): void {
    for (const [sha, url] of this.urls) {
      if (this.urls.size <= this.limit) return;
      URL.revokeObjectURL(url);
      this.urls.delete(sha);
    }
  }
}
