/**
 * The images selected in a thumbnail grid, by path: click toggles one,
 * shift-click selects the range from the last one clicked, "Select all"
 * takes the whole class. The set is replaced, never mutated, so a grid of
 * 10 000 tiles re-renders only what it shows.
 */
export class ImageSelection {
  paths = $state.raw<ReadonlySet<string>>(new Set());
  private anchor: number | null = null;

  get size(): number {
    return this.paths.size;
  }

  has(path: string): boolean {
    return this.paths.has(path);
  }

  /** A click on the tile at `index` of `order` (the grid's paths in order). */
  click(order: readonly string[], index: number, range: boolean): void {
    const next = new Set(this.paths);
    if (range && this.anchor !== null) {
      const [from, to] = this.anchor < index ? [this.anchor, index] : [index, this.anchor];
      for (let i = from; i <= to; i++) next.add(order[i]!);
    } else {
      const path = order[index]!;
      if (next.has(path)) next.delete(path);
      else next.add(path);
      this.anchor = index;
    }
    this.paths = next;
  }

  selectAll(order: readonly string[]): void {
    this.paths = new Set(order);
  }

  clear(): void {
    this.paths = new Set();
    this.anchor = null;
  }

  /** Keeps only paths still shown (after an edit or another class was chosen). */
  keepOnly(order: readonly string[]): void {
    const shown = new Set(order);
    if ([...this.paths].every((path) => shown.has(path))) return;
    this.paths = new Set([...this.paths].filter((path) => shown.has(path)));
    this.anchor = null;
  }
}
