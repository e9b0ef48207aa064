import { humanize } from '../format';

/** A run status (or any UPPER_SNAKE state) as a coloured pill. */
export function StatusBadge({ status, className = '' }: { status: string; className?: string }) {
  return (
    <span className={`badge badge-${status.toLowerCase()} ${className}`} data-status={status}>
      {humanize(status)}
    </span>
  );
}
