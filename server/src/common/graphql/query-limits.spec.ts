import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, getIntrospectionQuery, Kind, parse } from 'graphql';
import { loadEnv } from '../../config/env.js';
import { ASSUMED_LIST_SIZE, measureOperation, queryLimitErrors } from './query-limits.js';

const schema = buildSchema(/* GraphQL */ `
  type Query {
    runs(first: Int! = 20, after: String): RunConnection!
    run(id: ID!): Run
  }
  type RunConnection { edges: [RunEdge!]! nodes: [Run!]! totalCount: Int! }
  type RunEdge { cursor: String! node: Run! }
  type Run {
    id: ID!
    stages: [Stage!]!
    events(first: Int! = 50): EventConnection!
    parent: Run
  }
  type Stage { name: String! }
  type EventConnection { nodes: [Event!]! }
  type Event { seq: Int! type: String! }
`);

const measure = (query: string, variables: Record<string, unknown> = {}) => measureOperation(schema, parse(query), undefined, variables);
const limits = { maxDepth: 5, maxCost: 1000 };

describe('query limits', () => {
  describe('measureOperation', () => {
    it('counts 1 per field and multiplies a connection by its first, its edges and nodes not again', () => {
      expect(measure('{ runs(first: 3) { totalCount nodes { id } } }')).toEqual({ depth: 3, cost: 1 + 3 * (1 + 1 + 1) });
      expect(measure('{ runs(first: 3) { edges { node { id } } } }')).toEqual({ depth: 4, cost: 1 + 3 * (1 + (1 + 1)) });
    });

    it('reads page sizes from variables and defaults, and assumes a size for other lists', () => {
      expect(measure('query($n: Int!) { runs(first: $n) { nodes { id } } }', { n: 7 })?.cost).toBe(1 + 7 * 2);
      expect(measure('{ runs { nodes { id } } }')?.cost).toBe(1 + 20 * 2);
      expect(measure('{ run(id: "r") { stages { name } } }')?.cost).toBe(1 + (1 + ASSUMED_LIST_SIZE * 1));
    });

    it('multiplies nested pages', () => {
      expect(measure('{ runs(first: 10) { nodes { events(first: 100) { nodes { seq type } } } } }')?.cost).toBe(1 + 10 * (1 + (1 + 100 * (1 + 2))));
    });

    it('follows fragments and inline fragments, and ignores __typename', () => {
      const query = `
        query { run(id: "r") { __typename ...A } }
        fragment A on Run { id parent { ... on Run { ...B } } }
        fragment B on Run { parent { id } }
      `;
      expect(measure(query)).toEqual({ depth: 4, cost: 1 + (1 + (1 + (1 + 1))) });
    });

    it('survives a fragment cycle (which validation refuses) and unknown fields', () => {
      const query = `query { run(id: "r") { ...A nope } } fragment A on Run { parent { ...A } }`;
      expect(measure(query)).toEqual({ depth: 2, cost: 1 + (1 + 1) });
    });

    it('leaves introspection out of the depth, not out of the cost', () => {
      const standard = measureOperation(schema, parse(getIntrospectionQuery()), undefined, {})!;
      expect(standard.depth).toBe(0);
      expect(standard.cost).toBeGreaterThan(1000);
    });

    it('is null for an operation the document does not hold', () => {
      expect(measureOperation(schema, parse('query A { run(id: "r") { id } }'), 'B', {})).toBeNull();
      expect(measureOperation(schema, parse('query A { run(id: "r") { id } } query B { run(id: "r") { id } }'), undefined, {})).toBeNull();
    });
  });

  describe('queryLimitErrors', () => {
    it('refuses a deep query with BAD_USER_INPUT / QUERY_TOO_DEEP naming the limit and the depth', () => {
      const [error] = queryLimitErrors(schema, parse('{ run(id: "r") { parent { parent { parent { parent { parent { id } } } } } } }'), undefined, {}, limits);
      expect(error.message).toMatch(/7 levels deep; at most 5 .*GRAPHQL_MAX_DEPTH/);
      expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_DEEP', depth: 7, maxDepth: 5 });
    });

    it('refuses a costly query with BAD_USER_INPUT / QUERY_TOO_COMPLEX naming the budget and the cost', () => {
      const [error] = queryLimitErrors(schema, parse('{ runs(first: 100) { nodes { events(first: 100) { nodes { seq } } } } }'), undefined, {}, limits);
      expect(error.message).toMatch(/estimated cost is 20201; at most 1000 .*GRAPHQL_MAX_COST/);
      expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_COMPLEX', cost: 20201, maxCost: 1000 });
    });

    it('accepts what is within the limits', () => {
      expect(queryLimitErrors(schema, parse('{ runs(first: 100) { nodes { id } } }'), undefined, {}, limits)).toEqual([]);
    });
  });

  describe('the default limits', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
    const served = buildSchema(readFileSync(join(root, 'schema.graphql'), 'utf8'));
    const env = loadEnv({});
    const defaults = { maxDepth: env.GRAPHQL_MAX_DEPTH, maxCost: env.GRAPHQL_MAX_COST };

    it('accept every operation of the web app at its largest page size, and the standard introspection query', () => {
      const files = readdirSync(join(root, 'web/src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.graphql'));
      expect(files.length).toBeGreaterThan(5);
      const document = parse(files.map((f) => readFileSync(join(root, 'web/src', f), 'utf8')).join('\n'));
      const operations = document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION && d.name ? [d.name.value] : []));
      for (const name of operations) {
        expect({ name, errors: queryLimitErrors(served, document, name, { first: 100 }, defaults) }).toEqual({ name, errors: [] });
      }
      expect(queryLimitErrors(served, parse(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true })), undefined, {}, defaults)).toEqual([]);
    });

    it('refuse nested pages that would read hundreds of thousands of rows, and cyclic introspection', () => {
      const nested = parse('{ runs(first: 100) { nodes { events(first: 500) { nodes { seq type data } } } } }');
      expect(queryLimitErrors(served, nested, undefined, {}, defaults)[0].extensions.reason).toBe('QUERY_TOO_COMPLEX');
      const cyclic = parse('{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }');
      expect(queryLimitErrors(served, cyclic, undefined, {}, defaults)[0].extensions.reason).toBe('QUERY_TOO_COMPLEX');
    });
  });
});
