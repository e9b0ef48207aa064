/** Arranges `items` in the order of `ids` (null where an id was not found): what batch loaders must return. */
export function inOrderOf<T extends { id: string }>(ids: readonly string[], items: T[]): (T | null)[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  return ids.map((id) => byId.get(id) ?? null);
}
