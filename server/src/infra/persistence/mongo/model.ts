import type { Connection, Model, Schema } from 'mongoose';

/** The connection's model for `name`, compiled once per connection (several repositories may ask). */
export function modelOf<T>(connection: Connection, name: string, schema: Schema): Model<T> {
  return connection.models[name] ?? connection.model(name, schema);
}
