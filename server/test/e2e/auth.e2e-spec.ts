import { CREATE_HYPOTHESIS, createHypothesisInput, RUNS } from '../support/graphql-operations.js';
import { dataOf, startTestApp, TestApp } from '../support/test-app.js';

const ALICE = 'alice-token-0123456789abcdef';
const BOB = 'bob-token-0123456789abcdef01';

describe('API tokens (API_TOKENS set)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ API_TOKENS: `alice:${ALICE}, bob:${BOB}` });
  });
  afterAll(() => app.close());

  it('refuses GraphQL without a token with 401 UNAUTHENTICATED, introspection included', async () => {
    for (const query of [RUNS, '{ __schema { queryType { name } } }']) {
      const response = await app.graphql(query);
      expect(response.status).toBe(401);
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'MISSING_TOKEN' });
    }
  });

  it('refuses a wrong token and a malformed header', async () => {
    const wrong = await app.graphql(RUNS, {}, 'not-a-real-token-at-all');
    expect(wrong.status).toBe(401);
    expect(wrong.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
    const basic = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Token ${ALICE}` },
      body: JSON.stringify({ query: RUNS }),
    });
    expect(basic.status).toBe(401);
    expect(basic.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('refuses REST calls without a token with problem+json, but keeps the probes open', async () => {
    const refused = await fetch(`${app.url}/api/anything`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await refused.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason: 'MISSING_TOKEN' });
    expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
    expect((await fetch(`${app.url}/api/ready`)).status).toBe(200);
  });

  it('records the token\'s name as createdBy, whatever the input says', async () => {
    const created = dataOf(await app.graphql(CREATE_HYPOTHESIS, createHypothesisInput({ createdBy: 'mallory' }), BOB)).createHypothesis;
    expect(created.hypothesis.createdBy).toBe('bob');
    expect(created.run.createdBy).toBe('bob');
    const cancel = dataOf(
      await app.graphql(`mutation($id: ID!) { cancelRun(id: $id) { statusHistory { by } } }`, { id: created.run.id }, ALICE),
    );
    expect(cancel.cancelRun.statusHistory).toEqual([{ by: 'alice' }]);
  });
});
