import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

/** A route that failed to load (e.g. a page's code after a deploy) or threw while rendering. */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error instanceof Error ? error.message : String(error);
  return (
    <main className="page">
      <div className="state state-error" role="alert">
        <p>
          <strong>This page failed to load.</strong> {message}
        </p>
        <div className="row">
          <button type="button" className="button" onClick={() => window.location.reload()}>
            Reload
          </button>
          <Link to="/" className="button button-ghost">
            Home
          </Link>
        </div>
      </div>
    </main>
  );
}

export function NotFound() {
  return (
    <div className="state state-empty">
      <h1>Page not found</h1>
      <p>
        Nothing lives at this address. <Link to="/">Go to the hypotheses</Link>.
      </p>
    </div>
  );
}
