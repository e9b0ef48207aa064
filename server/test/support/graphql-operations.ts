/** Operations the e2e tests send, written as an external client would. */
export const CREATE_HYPOTHESIS = /* GraphQL */ `
  mutation Create($input: CreateHypothesisInput!) {
    createHypothesis(input: $input) {
      hypothesis { id title idea createdBy ideaJson hidden }
      run { id status hypothesisId createdBy startJob { id name state attemptsMade } }
    }
  }
`;

export const RUN = /* GraphQL */ `
  query Run($id: ID!) {
    run(id: $id) {
      id status hidden createdBy
      statusHistory { from to by reason at }
      hypothesis { id title }
      stages { name status progress }
      startJob { id state }
    }
  }
`;

export const RUNS = /* GraphQL */ `
  query Runs($filter: RunFilterInput, $first: Int, $after: String, $order: SortDirection) {
    runs(filter: $filter, first: $first, after: $after, order: $order) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id status hypothesisId hidden createdAt }
    }
  }
`;

export const CANCEL_RUN = /* GraphQL */ `
  mutation Cancel($id: ID!, $reason: String) {
    cancelRun(id: $id, reason: $reason) { id status statusHistory { from to by reason } }
  }
`;

export const LAUNCH_RUN = /* GraphQL */ `
  mutation Launch($hypothesisId: ID!, $idempotencyKey: String) {
    launchRun(hypothesisId: $hypothesisId, idempotencyKey: $idempotencyKey) { id status }
  }
`;

export const HIDE_HYPOTHESIS = /* GraphQL */ `
  mutation Hide($id: ID!) {
    hideHypothesis(id: $id) { canceledRuns hypothesis { id hidden runs(filter: { hidden: null }, first: 100) { totalCount nodes { status } } } }
  }
`;

export const createHypothesisInput = (overrides: Record<string, unknown> = {}) => ({
  input: { title: 'Sparse attention', idea: 'Sparse attention keeps accuracy at a fraction of the cost.', ...overrides },
});
