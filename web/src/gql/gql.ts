/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation CreateHypothesis($input: CreateHypothesisInput!) {\n  createHypothesis(input: $input) {\n    hypothesis {\n      id\n      title\n    }\n    run {\n      ...RunRowFields\n    }\n  }\n}": typeof types.CreateHypothesisDocument,
    "fragment RunRowFields on Run {\n  id\n  status\n  createdAt\n  createdBy\n  hypothesis {\n    id\n    title\n  }\n}\n\nquery RecentRuns($first: Int!, $after: String) {\n  runs(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      ...RunRowFields\n    }\n  }\n}\n\nmutation CancelRun($id: ID!) {\n  cancelRun(id: $id) {\n    ...RunRowFields\n  }\n}": typeof types.RunRowFieldsFragmentDoc,
};
const documents: Documents = {
    "mutation CreateHypothesis($input: CreateHypothesisInput!) {\n  createHypothesis(input: $input) {\n    hypothesis {\n      id\n      title\n    }\n    run {\n      ...RunRowFields\n    }\n  }\n}": types.CreateHypothesisDocument,
    "fragment RunRowFields on Run {\n  id\n  status\n  createdAt\n  createdBy\n  hypothesis {\n    id\n    title\n  }\n}\n\nquery RecentRuns($first: Int!, $after: String) {\n  runs(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      ...RunRowFields\n    }\n  }\n}\n\nmutation CancelRun($id: ID!) {\n  cancelRun(id: $id) {\n    ...RunRowFields\n  }\n}": types.RunRowFieldsFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateHypothesis($input: CreateHypothesisInput!) {\n  createHypothesis(input: $input) {\n    hypothesis {\n      id\n      title\n    }\n    run {\n      ...RunRowFields\n    }\n  }\n}"): (typeof documents)["mutation CreateHypothesis($input: CreateHypothesisInput!) {\n  createHypothesis(input: $input) {\n    hypothesis {\n      id\n      title\n    }\n    run {\n      ...RunRowFields\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment RunRowFields on Run {\n  id\n  status\n  createdAt\n  createdBy\n  hypothesis {\n    id\n    title\n  }\n}\n\nquery RecentRuns($first: Int!, $after: String) {\n  runs(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      ...RunRowFields\n    }\n  }\n}\n\nmutation CancelRun($id: ID!) {\n  cancelRun(id: $id) {\n    ...RunRowFields\n  }\n}"): (typeof documents)["fragment RunRowFields on Run {\n  id\n  status\n  createdAt\n  createdBy\n  hypothesis {\n    id\n    title\n  }\n}\n\nquery RecentRuns($first: Int!, $after: String) {\n  runs(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      ...RunRowFields\n    }\n  }\n}\n\nmutation CancelRun($id: ID!) {\n  cancelRun(id: $id) {\n    ...RunRowFields\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;