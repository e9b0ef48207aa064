import { ApolloProvider } from '@apollo/client/react';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider, useLocation } from 'react-router';
import { createTestClient } from '../../../test/support/test-client';
import type { RunStatus } from '../../gql/graphql';
import { RunTable } from './RunTable';

const row = (id: string, minute: number, status: RunStatus = 'QUEUED', hypothesisId = 'h-1') => ({
  __typename: 'Run',
  id,
  status,
  hidden: false,
  createdAt: new Date(Date.UTC(2026, 0, 1, 9, minute)).toISOString(),
  updatedAt: new Date(Date.UTC(2026, 0, 1, 9, minute)).toISOString(),
  createdBy: 'ada',
  startedAt: null,
  completedAt: null,
  failedAt: null,
  errorType: null,
  hypothesis: { __typename: 'Hypothesis', id: hypothesisId, title: `Hypothesis ${hypothesisId}` },
  currentStage: null,
});

function Location() {
  const location = useLocation();
  return <output data-testid="location">{location.search}</output>;
}

function setup(url: string, rows = [row('r2', 2), row('r1', 1)]) {
  const server = createTestClient({
    RunTable: () => ({
      data: {
        runs: {
          __typename: 'RunConnection',
          totalCount: rows.length,
          pageInfo: { __typename: 'PageInfo', hasNextPage: true, endCursor: 'cursor-2' },
          nodes: rows,
        },
      },
    }),
    HypothesisOptions: () => ({
      data: {
        hypotheses: {
          __typename: 'HypothesisConnection',
          nodes: [
            { __typename: 'Hypothesis', id: 'h-1', title: 'Hypothesis h-1' },
            { __typename: 'Hypothesis', id: 'h-2', title: 'Hypothesis h-2' },
          ],
        },
      },
    }),
  });
  const router = createMemoryRouter(
    [
      {
        path: '/overview',
        element: (
          <>
            <RunTable />
            <Location />
          </>
        ),
      },
    ],
    { initialEntries: [url] },
  );
  render(
    <ApolloProvider client={server.client}>
      <RouterProvider router={router} />
    </ApolloProvider>,
  );
  const lastVariables = () => server.calls('RunTable').at(-1)!.variables;
  return { server, lastVariables, search: () => screen.getByTestId('location').textContent };
}

describe('RunTable', () => {
  it('reads its filters from the URL and queries with them', async () => {
    const { lastVariables } = setup('/overview?status=RUNNING,FAILED&order=asc&hypothesis=h-2&size=50');
    expect((await screen.findAllByText('Hypothesis h-1', { selector: 'a' }))[0]).toBeInTheDocument();
    expect(lastVariables()).toEqual({ first: 50, after: null, order: 'ASC', filter: { status: ['RUNNING', 'FAILED'], hypothesisId: 'h-2', hidden: false } });
    expect(screen.getByRole('button', { name: 'Running' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('button', { name: 'Queued' })).toHaveAttribute('aria-pressed', 'false');
    expect(screen.getByRole('columnheader', { name: /Created/ })).toHaveAttribute('aria-sort', 'ascending');
    expect(await screen.findByRole('combobox', { name: 'Hypothesis' })).toHaveValue('h-2');
  });

  it('writes filter changes to the URL and starts again from the first page', async () => {
    const { search, lastVariables } = setup('/overview?after=cursor-9');
    await screen.findAllByText('Hypothesis h-1', { selector: 'a' });
    await userEvent.click(screen.getByRole('button', { name: 'Queued' }));
    await waitFor(() => expect(search()).toBe('?status=QUEUED'));
    await userEvent.click(screen.getByRole('button', { name: 'Failed' }));
    await waitFor(() => expect(search()).toBe('?status=QUEUED%2CFAILED'));
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Hypothesis' }), 'h-2');
    await waitFor(() => expect(search()).toBe('?status=QUEUED%2CFAILED&hypothesis=h-2'));
    await userEvent.click(screen.getByRole('button', { name: /Created/ }));
    await waitFor(() => expect(search()).toBe('?status=QUEUED%2CFAILED&hypothesis=h-2&order=asc'));
    expect(lastVariables()).toEqual({ first: 20, after: null, order: 'ASC', filter: { status: ['QUEUED', 'FAILED'], hypothesisId: 'h-2', hidden: false } });
    await userEvent.click(screen.getByRole('button', { name: 'Clear' }));
    await waitFor(() => expect(search()).toBe('?hypothesis=h-2&order=asc'));
  });

  it('pages forward with the cursor in the URL and back again', async () => {
    const { search, lastVariables } = setup('/overview?status=QUEUED');
    await screen.findAllByText('Hypothesis h-1', { selector: 'a' });
    expect(screen.getByRole('button', { name: '← Previous' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Next →' }));
    await waitFor(() => expect(search()).toBe('?status=QUEUED&after=cursor-2'));
    expect(lastVariables()).toMatchObject({ after: 'cursor-2' });
    await userEvent.click(screen.getByRole('button', { name: '← Previous' }));
    await waitFor(() => expect(search()).toBe('?status=QUEUED'));
  });

  it('adds new runs and drops runs that leave the filter as runsChanged reports them', async () => {
    const { server } = setup('/overview?status=QUEUED', [row('r2', 2), row('r1', 1)]);
    await screen.findByRole('heading', { name: 'Runs (2)' });
    act(() => server.emit('OnRunsChanged', { runsChanged: row('r3', 3) }));
    expect(await screen.findByRole('heading', { name: 'Runs (3)' })).toBeInTheDocument();
    const bodyRows = () => within(screen.getAllByRole('rowgroup')[1]).getAllByRole('row');
    expect(bodyRows().map((r) => r.getAttribute('data-run-id'))).toEqual(['r3', 'r2', 'r1']);

    act(() => server.emit('OnRunsChanged', { runsChanged: row('r2', 2, 'RUNNING') }));
    expect(await screen.findByRole('heading', { name: 'Runs (2)' })).toBeInTheDocument();
    expect(bodyRows().map((r) => r.getAttribute('data-run-id'))).toEqual(['r3', 'r1']);
  });

  it('offers a retry when the runs cannot be loaded', async () => {
    let fail = true;
    const server = createTestClient({
      RunTable: () =>
        fail
          ? new Error('Failed to fetch')
          : {
              data: {
                runs: { __typename: 'RunConnection', totalCount: 0, pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null }, nodes: [] },
              },
            },
      HypothesisOptions: () => ({ data: { hypotheses: { __typename: 'HypothesisConnection', nodes: [] } } }),
    });
    const router = createMemoryRouter([{ path: '/overview', element: <RunTable /> }], { initialEntries: ['/overview'] });
    render(
      <ApolloProvider client={server.client}>
        <RouterProvider router={router} />
      </ApolloProvider>,
    );
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load the runs. Failed to fetch');
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('No runs match these filters.')).toBeInTheDocument();
  });
});
