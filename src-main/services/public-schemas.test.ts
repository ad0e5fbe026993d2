import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { publicSchemas } from './public-schemas';

describe('documented JSON Schemas', () => {
  it.each(Object.entries(publicSchemas()))('docs/schemas/%s matches the zod schema (run npm run schemas)', (file, schema) => {
    const committed = JSON.parse(fs.readFileSync(path.join(__dirname, '../../docs/schemas', file), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(schema)));
  });
});
