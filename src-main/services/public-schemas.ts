import { z } from 'zod';
import { FleetFileSchema } from '../../src-shared/domain';

/** JSON Schemas of the documented file formats, keyed by their file name under docs/schemas/. */
export function publicSchemas(): Record<string, unknown> {
  return {
    'fleet-file.schema.json': {
      title: 'Fleetdeck fleet file v1',
      ...z.toJSONSchema(FleetFileSchema, { io: 'input', target: 'draft-2020-12' }),
    },
  };
}
