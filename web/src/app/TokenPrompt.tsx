import { useApolloClient } from '@apollo/client/react';
import { useState } from 'react';
import { readToken, saveToken } from './apollo';

/** The API token (when the server requires one), kept in this browser's local storage. */
export function TokenPrompt() {
  const client = useApolloClient();
  const [token, setToken] = useState(readToken() ?? '');
  return (
    <form
      className="token"
      onSubmit={(event) => {
        event.preventDefault();
        saveToken(token);
        void client.resetStore();
      }}
    >
      <label>
        API token
        <input type="password" value={token} onChange={(e) => setToken(e.target.value)} placeholder="only if the server requires one" />
      </label>
      <button type="submit">Save</button>
    </form>
  );
}
