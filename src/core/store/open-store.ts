import { openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { SchemaError } from './errors';
import { migrate, SCHEMA_VERSION } from './migrations';
import { DEFAULT_STORE_NAME, type PawprintSchema } from './schema';
import { storeLock, type StoreLock } from './lock';
import { Store } from './store';
import { abortQuietly } from './transaction';

export interface OpenStoreOptions {
  /** IndexedDB database name; "pawprint" unless testing. */
  name?: string;
  /** The lock every write runs under; by default the store's Web Lock (storeLock). */
  lock?: StoreLock;
}

/**
 * Opens (creating or upgrading as needed) the store's database. A database
 * written by a newer Pawprint, or one whose upgrade fails, raises
 * SchemaError; a failed upgrade changes nothing, as it runs in one
 * versionchange transaction.
 */
export async function openStore({ name = DEFAULT_STORE_NAME, lock = storeLock(name) }: OpenStoreOptions = {}): Promise<Store> {
  let upgradeError: unknown;
  try {
    const db = await openDB<PawprintSchema>(name, SCHEMA_VERSION, {
      upgrade(db, oldVersion, _newVersion, tx) {
        // Migrations address stores by the names of their own time, untyped.
        const untypedTx = tx as unknown as IDBPTransaction<unknown, string[], 'versionchange'>;
        tx.done.catch(() => undefined); // a failed upgrade surfaces through openDB's rejection below
        migrate(db as unknown as IDBPDatabase<unknown>, oldVersion, untypedTx).catch((error: unknown) => {
          upgradeError = error;
          abortQuietly(untypedTx);
        });
      },
    });
    return new Store(db, lock);
  } catch (error) {
    if (upgradeError !== undefined) {
      throw new SchemaError(`Pawprint could not upgrade its saved data to the current format; nothing was changed. (${String(upgradeError)})`, {
        cause: upgradeError,
      });
    }
    if ((error as { name?: unknown } | null)?.name === 'VersionError') {
      throw new SchemaError(
        'The data saved in this browser was written by a newer version of Pawprint. Reload the page to get the newest version, then try again.',
        { cause: error },
      );
    }
    throw error;
  }
}
