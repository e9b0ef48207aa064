/**
 * A connection with the next page appended, for a query's `fetchMore`: the next page's cursor and
 * counts, the nodes held so far, then the new ones not held already (a page fetched twice, or a node
 * that moved while paging, is not listed twice).
 */
export function appendPage<TConnection extends { nodes: readonly unknown[] }>(
  held: TConnection,
  next: TConnection,
  key: (node: TConnection['nodes'][number]) => unknown,
): TConnection {
  const known = new Set(held.nodes.map(key));
  return { ...next, nodes: [...held.nodes, ...next.nodes.filter((node) => !known.has(key(node)))] };
}
