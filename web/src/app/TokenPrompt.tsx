import { useApolloClient } from '@apollo/client/react';
import { useEffect, useId, useRef, useState } from 'react';
import { saveToken, useAuthState } from './auth';

/**
 * The API token (when the server requires one), kept in this browser's local storage. Opens by
 * itself when the server refuses a call for lack of a valid token.
 */
export function TokenPrompt() {
  const client = useApolloClient();
  const { token, authRequired } = useAuthState();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState(token ?? '');
  const input = useRef<HTMLInputElement>(null);
  const panelId = useId();
  const shown = open || authRequired;

  useEffect(() => {
    if (shown) input.current?.focus();
  }, [shown]);

  return (
    <div className="token">
      <button type="button" className="button button-ghost" aria-expanded={shown} aria-controls={panelId} onClick={() => setOpen(!open)}>
        {token ? 'API token ✓' : 'API token'}
      </button>
      {shown && (
        <form
          id={panelId}
          className="token-panel"
          role="dialog"
          aria-label="API token"
          onKeyDown={(event) => {
            if (event.key === 'Escape' && !authRequired) setOpen(false);
          }}
          onSubmit={(event) => {
            event.preventDefault();
            saveToken(value);
            setOpen(false);
            // Everything shown was fetched with the previous token (or none): fetch it again.
            void client.resetStore().catch(() => undefined);
          }}
        >
          {authRequired && (
            <p className="token-notice" role="alert">
              {token ? 'The server refused the saved API token.' : 'This server requires an API token.'} Ask an operator for one.
            </p>
          )}
          <label>
            API token
            <input
              ref={input}
              type="password"
              autoComplete="off"
              value={value}
              onChange={(e) => setValue(e.target.value)}
              placeholder="only if the server requires one"
            />
          </label>
          <div className="row">
            <button type="submit" className="button">
              Save
            </button>
            {token && (
              <button
                type="button"
                className="button button-ghost"
                onClick={() => {
                  setValue('');
                  saveToken('');
                  void client.resetStore().catch(() => undefined);
                }}
              >
                Forget
              </button>
            )}
          </div>
          <p className="hint">Stored in this browser only; sent as “Authorization: Bearer …” with every call.</p>
        </form>
      )}
    </div>
  );
}
