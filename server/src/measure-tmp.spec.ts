import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getIntrospectionQuery, parse, Kind } from 'graphql';
import { measureOperation } from './common/graphql/query-limits.js';
it('x', () => {
  const schema = buildSchema(readFileSync('/work/main/schema.graphql', 'utf8'));
  const files: string[] = [];
  const walk = (d: string) => { for (const f of readdirSync(d)) { const p = join(d, f); if (statSync(p).isDirectory()) { if (f !== 'gql') walk(p); } else if (p.endsWith('.graphql')) files.push(p); } };
  walk('/work/main/web/src');
  const docs = files.map((f) => readFileSync(f, 'utf8')).join('\n');
  const doc = parse(docs);
  for (const op of doc.definitions) if (op.kind === Kind.OPERATION_DEFINITION) console.log(op.name?.value, JSON.stringify(measureOperation(schema, doc, op.name!.value, { first: 100 })));
  console.log('introspection', measureOperation(schema, parse(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true })), undefined, {}));
});
