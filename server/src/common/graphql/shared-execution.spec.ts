import { type ExecutionResult, GraphQLInt, GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from 'graphql';
import { sharedSubscribe } from './shared-execution.js';

interface Tick {
  n: number;
}

/** A schema whose subscription yields the given events to every subscriber, counting executions. */
function schemaOf(events: () => AsyncIterableIterator<Tick>) {
  const counts = { resolved: 0 };
  const Ticked = new GraphQLObjectType({
    name: 'Ticked',
    fields: {
      n: { type: GraphQLInt },
      label: { type: GraphQLString, args: { prefix: { type: GraphQLString } }, resolve: (tick: Tick, { prefix }: { prefix?: string }) => `${prefix ?? ''}${tick.n}` },
    },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLInt, resolve: () => 1 } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        ticked: {
          type: Ticked,
          subscribe: () => events(),
          resolve: (tick: Tick) => {
            counts.resolved++;
            return tick;
          },
        },
      },
    }),
  });
  return { schema, counts };
}

async function* yielding(items: Tick[]): AsyncGenerator<Tick> {
  for (const item of items) yield item;
}

async function collect(stream: unknown): Promise<ExecutionResult[]> {
  const results: ExecutionResult[] = [];
  for await (const result of stream as AsyncIterable<ExecutionResult>) results.push(result);
  return results;
}

describe('sharedSubscribe', () => {
  it('executes an event once for every subscriber of the same operation when they get the same event object', async () => {
    const ticks = [{ n: 1 }, { n: 2 }];
    const { schema, counts } = schemaOf(() => yielding(ticks));
    const document = parse('subscription { ticked { n label } }');
    const principal = { kind: 'anonymous' };
    const streams = await Promise.all([1, 2, 3].map(() => sharedSubscribe({ schema, document: parse('subscription { ticked { n label } }'), contextValue: { principal } })));
    streams.push(await sharedSubscribe({ schema, document, contextValue: { principal } }));
    const results = await Promise.all(streams.map(collect));
    for (const result of results) expect(result.map((r) => r.data)).toEqual([{ ticked: { n: 1, label: '1' } }, { ticked: { n: 2, label: '2' } }]);
    expect(counts.resolved).toBe(2);
  });

  it('executes separately when the variables or the caller differ', async () => {
    const ticks = [{ n: 7 }];
    const { schema, counts } = schemaOf(() => yielding(ticks));
    const document = parse('subscription($p: String) { ticked { label(prefix: $p) } }');
    const results = await Promise.all(
      [
        { variableValues: { p: 'a' }, contextValue: { principal: { kind: 'anonymous' } } },
        { variableValues: { p: 'b' }, contextValue: { principal: { kind: 'anonymous' } } },
        { variableValues: { p: 'a' }, contextValue: { principal: { kind: 'operator', name: 'ops' } } },
      ].map(async (args) => collect(await sharedSubscribe({ schema, document, ...args }))),
    );
    expect(results.map((r) => r[0].data)).toEqual([{ ticked: { label: 'a7' } }, { ticked: { label: 'b7' } }, { ticked: { label: 'a7' } }]);
    expect(counts.resolved).toBe(3);
  });

  it('executes events that are distinct objects for each subscriber (a replay from the store)', async () => {
    const { schema, counts } = schemaOf(() => yielding([{ n: 1 }]));
    const document = parse('subscription { ticked { n } }');
    await Promise.all([1, 2].map(async () => collect(await sharedSubscribe({ schema, document, contextValue: {} }))));
    expect(counts.resolved).toBe(2);
  });

  it('passes return() to the source at once while a next() is waiting', async () => {
    let returned = false;
    const source: AsyncIterableIterator<Tick> = {
      next: () => new Promise(() => undefined),
      return: async () => {
        returned = true;
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    const { schema } = schemaOf(() => source);
    const stream = (await sharedSubscribe({ schema, document: parse('subscription { ticked { n } }'), contextValue: {} })) as AsyncGenerator<ExecutionResult>;
    void stream.next();
    await expect(stream.return(undefined)).resolves.toEqual({ value: undefined, done: true });
    expect(returned).toBe(true);
  });

  it('answers a subscription the schema cannot serve with its errors', async () => {
    const { schema } = schemaOf(() => yielding([]));
    const result = (await sharedSubscribe({ schema, document: parse('subscription { nope }'), contextValue: {} })) as ExecutionResult;
    expect(result.errors?.[0].message).toMatch(/nope/);
  });
});
