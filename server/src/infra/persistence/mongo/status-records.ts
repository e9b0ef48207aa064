import type { Model, QueryFilter, UpdateQuery } from 'mongoose';

/**
 * Compare-and-set in one operation on a collection with a `status` field: sets the defined
 * fields of `update` only while the status is one of `from`. The document after, or null.
 */
export function updateWhereStatusIn<D extends { _id: string; status: string }>(
  model: Model<D>,
  id: string,
  from: readonly string[],
  update: object,
): Promise<D | null> {
  const set = Object.fromEntries(Object.entries(update).filter(([, value]) => value !== undefined));
  return model
    .findOneAndUpdate({ _id: id, status: { $in: from } } as QueryFilter<D>, { $set: set } as UpdateQuery<D>, { returnDocument: 'after' })
    .lean<D>()
    .exec();
}

/** Ids of the documents in the given statuses, oldest first (by createdAt, then _id). */
export async function idsByStatus<D extends { _id: string; status: string }>(model: Model<D>, statuses: readonly string[]): Promise<string[]> {
  const docs = await model
    .find({ status: { $in: statuses } } as QueryFilter<D>, { _id: 1 })
    .sort({ createdAt: 1, _id: 1 })
    .lean<{ _id: string }[]>();
  return docs.map((doc) => doc._id);
}
