import type { mongo } from 'mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKey } from './keyset.js';

/**
 * Runs idempotent upserts in one round trip with the driver's bulkWrite (update pipelines pass
 * through uncast). Two first upserts of one _id racing make one fail with a duplicate key; the
 * operations are idempotent, so running them again is correct.
 */
export async function bulkWriteIdempotent<T>(model: Model<T>, operations: mongo.AnyBulkWriteOperation<any>[]): Promise<void> {
  if (operations.length === 0) return;
  try {
    await model.collection.bulkWrite(operations, { ordered: true });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    await model.collection.bulkWrite(operations, { ordered: true });
  }
}
