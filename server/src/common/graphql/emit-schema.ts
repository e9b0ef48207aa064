import 'reflect-metadata';
import { MODULE_METADATA } from '@nestjs/common/constants.js';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { FEATURE_MODULES } from '../../app.module.js';

const RESOLVER_TYPE_METADATA = 'graphql:resolver_type';
const RESOLVER_NAME_METADATA = 'graphql:resolver_name';

/** Every resolver class provided by the feature modules and the modules they import. */
function collectResolvers(modules: Function[], seen = new Set<Function>()): Function[] {
  return modules.flatMap((module) => {
    if (seen.has(module)) return [];
    seen.add(module);
    const providers: unknown[] = Reflect.getMetadata(MODULE_METADATA.PROVIDERS, module) ?? [];
    const imports: Function[] = (Reflect.getMetadata(MODULE_METADATA.IMPORTS, module) ?? []).filter(
      (m: unknown) => typeof m === 'function',
    );
    const resolvers = providers.filter(
      (p): p is Function =>
        typeof p === 'function' &&
        (Reflect.hasMetadata(RESOLVER_TYPE_METADATA, p) || Reflect.hasMetadata(RESOLVER_NAME_METADATA, p)),
    );
    return [...resolvers, ...collectResolvers(imports, seen)];
  });
}

/** The schema the app serves, printed sorted: what schema.graphql must contain. */
export async function printAppSchema(): Promise<string> {
  const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  const schema = await app.get(GraphQLSchemaFactory).create([...new Set(collectResolvers(FEATURE_MODULES))]);
  await app.close();
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
