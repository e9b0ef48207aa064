import { Type } from '@nestjs/common';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { Cursor, encodeCursor, Page } from './cursor.js';

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Relay-style connection type for a model: `XConnection { edges { cursor node } nodes pageInfo totalCount }`. */
export function ConnectionType<T>(node: Type<T>, name: string): Type<Connection<T>> {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field()
    cursor: string;

    @Field(() => node)
    node: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionClass {
    @Field(() => [Edge])
    edges: Edge[];

    @Field(() => [node])
    nodes: T[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => Int)
    totalCount: number;
  }
  return ConnectionClass;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1 to 100.' })
  @IsInt()
  @Min(1)
  @Max(100)
  first = 20;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  @IsOptional()
  @IsString()
  after?: string | null;
}

/** A connection from a page; cursors are (createdAt, id) positions unless `cursorOf` says otherwise. */
export function toConnection<T, M>(
  page: Page<T>,
  totalCount: number,
  toModel: (item: T) => M,
  cursorOf: (item: T) => string = (item) => encodeCursor(item as Cursor),
): Connection<M> {
  const edges = page.items.map((item) => ({ cursor: cursorOf(item), node: toModel(item) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
  };
}
