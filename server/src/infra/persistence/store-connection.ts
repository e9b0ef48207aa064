import type { FactoryProvider } from '@nestjs/common';
import type Database from 'better-sqlite3';
import type { Connection } from 'mongoose';

/** The one store this process connects to, chosen from STORE when the app module is built. */
export type StoreConnection = { kind: 'sqlite'; db: Database.Database } | { kind: 'mongo'; connection: Connection };

export const STORE_CONNECTION = Symbol('STORE_CONNECTION');

/** How to build a repository port on each store. */
export interface StoreAdapters<T> {
  sqlite: (db: Database.Database) => T;
  mongo: (connection: Connection) => T;
}

export function selectAdapter<T>(store: StoreConnection, adapters: StoreAdapters<T>): T {
  return store.kind === 'sqlite' ? adapters.sqlite(store.db) : adapters.mongo(store.connection);
}

/** Binds a repository port's token to the adapter of the configured store. */
export function storeAdapter<T>(token: symbol, adapters: StoreAdapters<T>): FactoryProvider<T> {
  return { provide: token, inject: [STORE_CONNECTION], useFactory: (store: StoreConnection) => selectAdapter(store, adapters) };
}

/** Builds the indexes of every model the repositories registered (MongoDB); SQLite's come with its migrations. */
export async function ensureIndexes(store: StoreConnection): Promise<void> {
  if (store.kind === 'mongo') await Promise.all(Object.values(store.connection.models).map((model) => model.init()));
}
