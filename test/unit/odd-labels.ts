// Folder names any file system allows, used as class labels (and tags) across the unit tests:
// the names of Object.prototype's members, names that differ only in case, spaces, dots,
// emoji and right-to-left text. Each must stay a label like any other, distinct from the rest.
export const ODD_LABELS = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'Cats',
  'cats',
  'two words',
  'v1.2.final',
  '🐱 kitty',
  'قطط',
] as const;
