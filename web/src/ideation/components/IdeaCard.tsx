import type { ReactNode } from 'react';

function value(v: unknown): ReactNode {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return <p className="idea-text">{v}</p>;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    return (
      <ul>
        {v.map((item, i) => (
          <li key={i}>{typeof item === 'string' ? item : <pre className="json">{JSON.stringify(item, null, 2)}</pre>}</li>
        ))}
      </ul>
    );
  }
  return <pre className="json">{JSON.stringify(v, null, 2)}</pre>;
}

/** One idea in the AI-Scientist format (Name, Title, Short Hypothesis, Experiments, ...), every field shown. */
export function IdeaCard({ idea, index }: { idea: unknown; index: number }) {
  if (!idea || typeof idea !== 'object' || Array.isArray(idea)) {
    return (
      <article className="idea-card">
        <h4>Idea {index + 1}</h4>
        {value(idea)}
      </article>
    );
  }
  const fields = idea as Record<string, unknown>;
  const title = typeof fields.Title === 'string' ? fields.Title : typeof fields.Name === 'string' ? fields.Name : `Idea ${index + 1}`;
  return (
    <article className="idea-card">
      <h4>{title}</h4>
      <dl>
        {Object.entries(fields)
          .filter(([key]) => key !== 'Title')
          .map(([key, v]) => (
            <div key={key}>
              <dt>{key}</dt>
              <dd>{value(v)}</dd>
            </div>
          ))}
      </dl>
    </article>
  );
}
