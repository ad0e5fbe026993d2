import { z } from 'zod';
import { FleetFileSchema, ModelStatusFileSchema } from '../../src-shared/domain';

/** JSON Schemas of the documented file formats, keyed by their file name under docs/schemas/. */
export function publicSchemas(): Record<string, unknown> {
  return {
    'fleet-file.schema.json': {
      title: 'Fleetdeck fleet file v1',
      ...z.toJSONSchema(FleetFileSchema, { io: 'input', target: 'draft-2020-12' }),
    },
    'model-status.schema.json': {
      title: 'Fleetdeck model-status.json v1',
      ...z.toJSONSchema(ModelStatusFileSchema, { io: 'input', target: 'draft-2020-12' }),
    },
  };
}
