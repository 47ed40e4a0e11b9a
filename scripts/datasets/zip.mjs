// Deterministic zip writing with fflate: fixed timestamps, entries in the given order,
// already-compressed images stored (level 0).
import { zipSync } from 'fflate';

/**
 * fflate writes DOS times from the Date's *local* fields, so build the Date from local
 * fields too: the stored time is then 2020-01-01 00:00:00 in every time zone.
 */
const FIXED_MTIME = new Date(2020, 0, 1, 0, 0, 0);

/**
 * @typedef {{ name: string, data: Uint8Array }} Entry
 */

/**
 * @param {Entry[]} entries zip paths with forward slashes, in the order to write them
 * @returns {Uint8Array}
 */
export function makeZip(entries) {
  /** @type {import('fflate').Zippable} */
  const files = {};
  for (const { name, data } of entries) {
    if (name in files) throw new Error(`makeZip: duplicate entry ${name}`);
    files[name] = [data, { level: 0, mtime: FIXED_MTIME }];
  }
  return zipSync(files, { level: 0, mtime: FIXED_MTIME });
}
