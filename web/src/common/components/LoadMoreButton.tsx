import type { ReactNode } from 'react';

/**
 * The button under a paged list: shown while the server has a next page, it asks for the page after
 * `endCursor`; disabled while `loading`. A failed fetch leaves the list as it was.
 */
export function LoadMoreButton({
  pageInfo,
  loading = false,
  onLoad,
  children,
}: {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  loading?: boolean;
  onLoad: (after: string | null) => Promise<unknown>;
  children: ReactNode;
}) {
  if (!pageInfo.hasNextPage) return null;
  return (
    <button type="button" className="button button-ghost" disabled={loading} onClick={() => void onLoad(pageInfo.endCursor).catch(() => undefined)}>
      {children}
    </button>
  );
}
