// `npm run schema`: writes traces/trace.schema.json from traces/schema.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaText } from './schema.js';

const path = join(import.meta.dirname, '..', '..', 'traces', 'trace.schema.json');
writeFileSync(path, schemaText());
process.stdout.write(`wrote ${path}\n`);
