import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printAppSchema } from '../../src/common/graphql/emit-schema.js';
import { startTestApp } from '../support/test-app.js';

const committed = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../../schema.graphql'), 'utf8');

describe('schema.graphql', () => {
  it('is what the code-first types produce (run `npm run schema` after changing them)', async () => {
    expect(await printAppSchema()).toBe(committed);
  });

  it('is the schema the running server serves', async () => {
    const app = await startTestApp();
    try {
      const served = printSchema(lexicographicSortSchema(app.app.get(GraphQLSchemaHost).schema));
      expect(`${served}\n`).toBe(committed);
    } finally {
      await app.close();
    }
  });
});
