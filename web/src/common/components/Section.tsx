import type { ReactNode } from 'react';

/** A titled card; `id` makes it a link target, `actions` sit on the right of the title. */
export function Section({
  title,
  id,
  actions,
  children,
  className = '',
}: {
  title: ReactNode;
  id?: string;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  const headingId = id ? `${id}-title` : undefined;
  return (
    <section className={`card ${className}`} id={id} aria-labelledby={headingId}>
      <header className="card-header">
        <h2 id={headingId}>{title}</h2>
        {actions && <div className="card-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}
