import type { Remote } from './remote';

/** A remote held in memory: what a bundle is before it is zipped and after it is unzipped. */
export class MemoryRemote implements Remote {
  readonly files = new Map<string, Uint8Array>();

  constructor(readonly name: string) {}

  async read(path: string): Promise<Uint8Array | null> {
    return this.files.get(path) ?? null;
  }

  async has(path: string): Promise<boolean> {
    return this.files.has(path);
  }

  async write(path: string, bytes: Uint8Array): Promise<void> {
    this.files.set(path, bytes);
  }
}
