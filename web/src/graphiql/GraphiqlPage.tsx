import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { GraphiQL, type GraphiQLProps } from 'graphiql';
import { useEffect, useState } from 'react';
import { createWsClient } from '../app/apollo';
import { usePageTitle } from '../common/hooks/usePageTitle';
import { createFetcher } from './graphiql-fetcher';

const DEFAULT_QUERY = `# Orchestrator GraphQL API. Ctrl-Enter runs the operation; subscriptions stream below.
query LatestRuns {
  runs(first: 5) {
    totalCount
    nodes {
      id
      status
      createdAt
      hypothesis { title }
      currentStage { name progress etaS }
    }
  }
}

# subscription Changes {
#   runsChanged { id status }
# }
`;

/** GraphiQL from the app's own bundle (no CDN), with subscriptions over graphql-ws. */
export function GraphiqlPage() {
  usePageTitle('GraphiQL');
  const [{ ws, fetcher }] = useState(() => {
    const client = createWsClient({ reportState: false });
    // Results carry errors as plain JSON objects; GraphiQL's type names graphql-js' error class but only displays them.
    return { ws: client, fetcher: createFetcher(client) as unknown as GraphiQLProps['fetcher'] };
  });
  useEffect(() => () => void ws.dispose(), [ws]);
  return (
    <div className="graphiql-page">
      <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} forcedTheme="dark" shouldPersistHeaders={false} />
    </div>
  );
}
