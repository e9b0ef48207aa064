import { useNow } from '../hooks/useNow';
import { formatExact, formatRelative } from '../format';

/** "3 minutes ago", with the exact time on hover and for assistive technology. */
export function RelativeTime({ value, fallback = '—' }: { value: string | null | undefined; fallback?: string }) {
  const now = useNow();
  if (!value) return <span className="muted">{fallback}</span>;
  const date = new Date(value);
  const exact = formatExact(date);
  const relative = formatRelative(date, now);
  return (
    <time dateTime={value} title={exact} aria-label={`${relative} (${exact})`}>
      {relative}
    </time>
  );
}
