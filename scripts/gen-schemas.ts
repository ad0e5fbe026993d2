// Writes the JSON Schemas of the public file formats, generated from the zod schemas, to docs/schemas/.
// `npm run schemas` regenerates them; a unit test fails when the committed copies are stale.
import fs from 'node:fs';
import path from 'node:path';
import { publicSchemas } from '../src-main/services/public-schemas';

const outDir = path.join(__dirname, '..', 'docs', 'schemas');
fs.mkdirSync(outDir, { recursive: true });
for (const [file, schema] of Object.entries(publicSchemas())) {
  fs.writeFileSync(path.join(outDir, file), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote docs/schemas/${file}`);
}
