import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  getArgumentValues,
  GraphQLError,
  type GraphQLField,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
} from 'graphql';
import { CommonErrorCode, ErrorKind } from '../errors/domain-error.js';

export interface QueryLimits {
  /** Deepest nesting of fields (introspection excepted). */
  maxDepth: number;
  /** Highest estimated cost (see measureOperation). */
  maxCost: number;
}

/**
 * Most tokens a GraphQL document may have. graphql-js parses recursively: a document nested some
 * thousand levels deep overflows the stack (a 500) before any limit could look at it. This bound
 * keeps nesting far below that; the largest real operations (introspection included) use a few hundred.
 */
export const MAX_QUERY_TOKENS = 5000;

/** What a list without a page size (`first`) is assumed to hold when estimating cost. */
export const ASSUMED_LIST_SIZE = 10;

export interface OperationMeasure {
  depth: number;
  cost: number;
}

/**
 * Estimates what executing an operation costs, before it runs. Every field costs 1 plus its
 * selections; a field with a `first` argument multiplies its selections by that page size, any
 * other list by ASSUMED_LIST_SIZE (the `edges`/`nodes` of a connection are already counted by
 * its `first`). Fragments count where they are spread. Depth counts nested fields; introspection
 * (`__schema`, `__type`) is left out of the depth, as the standard introspection query alone
 * nests 15 levels, but not out of the cost, so a cyclic introspection query is still refused.
 * Null when the document has no such operation (validation reports that).
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): OperationMeasure | null {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) return null;
  const root = schema.getRootType(operation.operation);
  if (!root) return null;
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const vars = variables ?? {};

  const measure = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, spreads: ReadonlySet<string>, introspection: boolean): OperationMeasure => {
    let depth = 0;
    let cost = 0;
    for (const selection of selectionSet.selections) {
      let part: OperationMeasure;
      if (selection.kind === Kind.FIELD) part = measureField(selection, parent, spreads, introspection);
      else {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
        // A fragment spread inside itself is invalid (validation says so): it adds nothing here.
        if (!fragment || (selection.kind === Kind.FRAGMENT_SPREAD && spreads.has(selection.name.value))) continue;
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : parent;
        if (!condition || !isCompositeType(condition)) continue;
        const inner = selection.kind === Kind.FRAGMENT_SPREAD ? new Set([...spreads, selection.name.value]) : spreads;
        part = measure(fragment.selectionSet, condition, inner, introspection);
      }
      depth = Math.max(depth, part.depth);
      cost += part.cost;
    }
    return { depth, cost };
  };

  const measureField = (node: FieldNode, parent: GraphQLCompositeType, spreads: ReadonlySet<string>, inIntrospection: boolean): OperationMeasure => {
    const name = node.name.value;
    if (name === '__typename') return { depth: 0, cost: 0 };
    const field = fieldOf(schema, parent, name);
    if (!field) return { depth: 1, cost: 1 };
    const introspection = inIntrospection || name === '__schema' || name === '__type';
    const own = introspection ? 0 : 1;
    if (!node.selectionSet) return { depth: own, cost: 1 };
    const type = getNamedType(field.type);
    if (!isCompositeType(type)) return { depth: own, cost: 1 };
    const inner = measure(node.selectionSet, type, spreads, introspection);
    return { depth: own + inner.depth, cost: 1 + multiplier(field, node, parent, vars) * inner.cost };
  };

  return measure(operation.selectionSet, root, new Set(), false);
}

function fieldOf(schema: GraphQLSchema, parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === '__schema' && parent === schema.getQueryType()) return SchemaMetaFieldDef;
  if (name === '__type' && parent === schema.getQueryType()) return TypeMetaFieldDef;
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

function multiplier(field: GraphQLField<unknown, unknown>, node: FieldNode, parent: GraphQLCompositeType, variables: Record<string, unknown>): number {
  if (field.args.some((arg) => arg.name === 'first')) {
    let first: unknown;
    try {
      first = getArgumentValues(field, node, variables).first;
    } catch {
      // Bad or missing variables: execution refuses the request; assume the largest page meanwhile.
      first = undefined;
    }
    return typeof first === 'number' && Number.isFinite(first) ? Math.max(1, Math.ceil(first)) : ASSUMED_LIST_SIZE;
  }
  if (!isListType(getNullableType(field.type))) return 1;
  // A connection's edges and nodes are its page, already counted by the connection's `first`.
  if (parent.name.endsWith('Connection') && (field.name === 'edges' || field.name === 'nodes')) return 1;
  return ASSUMED_LIST_SIZE;
}

/** The errors for an operation beyond the limits (none when it is within them). */
export function queryLimitErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  limits: QueryLimits,
): GraphQLError[] {
  const measured = measureOperation(schema, document, operationName, variables);
  if (!measured) return [];
  if (measured.depth > limits.maxDepth) {
    return [
      limitError(
        CommonErrorCode.QueryTooDeep,
        `The query nests fields ${measured.depth} levels deep; at most ${limits.maxDepth} are allowed (GRAPHQL_MAX_DEPTH)`,
        { depth: measured.depth, maxDepth: limits.maxDepth },
      ),
    ];
  }
  if (measured.cost > limits.maxCost) {
    return [
      limitError(
        CommonErrorCode.QueryTooComplex,
        `The query's estimated cost is ${measured.cost}; at most ${limits.maxCost} is allowed (GRAPHQL_MAX_COST). Ask for smaller pages (first) or fewer nested lists`,
        { cost: measured.cost, maxCost: limits.maxCost },
      ),
    ];
  }
  return [];
}

function limitError(reason: CommonErrorCode, message: string, details: Record<string, number>): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorKind.BadUserInput, reason, ...details } });
}
