import { writeFileSync } from 'node:fs';
import { printAppSchema } from './emit-schema.js';

// `npm run schema`: regenerates the committed schema.graphql from the code-first types.
const target = process.argv[2] ?? 'schema.graphql';
writeFileSync(target, await printAppSchema());
process.stdout.write(`wrote ${target}\n`);
