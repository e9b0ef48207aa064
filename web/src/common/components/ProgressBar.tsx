import { formatPercent } from '../format';

/** A labelled progress bar (0..1). */
export function ProgressBar({ value, label, tone = 'default' }: { value: number; label: string; tone?: 'default' | 'done' | 'failed' }) {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0));
  return (
    <div
      className={`progress progress-${tone}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(clamped * 100)}
      aria-valuetext={formatPercent(clamped)}
    >
      <div className="progress-fill" style={{ width: `${clamped * 100}%` }} />
    </div>
  );
}
