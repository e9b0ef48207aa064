import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../src/infra/persistence/sqlite/open-sqlite.js';
import { ensureIndexes, selectAdapter, StoreAdapters, StoreConnection } from '../../src/infra/persistence/store-connection.js';

/** A fresh, empty store of one kind, and how to build repositories on it. */
export interface TestStore {
  store: StoreConnection;
  repository<T>(adapters: StoreAdapters<T>): Promise<T>;
  close(): Promise<void>;
}

export interface StoreUnderTest {
  name: 'sqlite' | 'mongo';
  open(): Promise<TestStore>;
}

function testStore(store: StoreConnection, cleanup: () => Promise<void>): TestStore {
  return {
    store,
    repository: async (adapters) => {
      const repository = selectAdapter(store, adapters);
      await ensureIndexes(store);
      return repository;
    },
    close: cleanup,
  };
}

export const sqliteStore: StoreUnderTest = {
  name: 'sqlite',
  open: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-contract-'));
    const db = openSqlite(join(dir, 'test.sqlite'));
    return testStore({ kind: 'sqlite', db }, async () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    });
  },
};

export function mongoStore(uri: string): StoreUnderTest {
  return {
    name: 'mongo',
    open: async () => {
      const connection = await mongoose.createConnection(uri, { dbName: `orch_test_${randomUUID().slice(0, 8)}` }).asPromise();
      return testStore({ kind: 'mongo', connection }, async () => {
        await connection.dropDatabase();
        await connection.close();
      });
    },
  };
}

/** SQLite always; MongoDB when MONGODB_URI is set (the GitHub Actions workflow runs a real mongo service). */
export function storesUnderTest(): StoreUnderTest[] {
  const uri = process.env.MONGODB_URI;
  return uri ? [sqliteStore, mongoStore(uri)] : [sqliteStore];
}
