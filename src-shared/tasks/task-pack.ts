import { z } from 'zod';

export const TASK_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const COMPONENT_KEY = /^[a-z][a-z0-9-]{0,47}$/;

export const TeamSchema = z
  .object({
    name: z.string().min(1).max(100),
    strength: z.int().min(0).max(100).describe('Team strength rating, 0-100'),
  })
  .strict();
export type Team = z.infer<typeof TeamSchema>;

export const FixtureSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'letters, digits and . _ : -'),
    competition: z.string().min(1).max(100),
    kickoff: z.iso.datetime(),
    home: TeamSchema,
    away: TeamSchema,
  })
  .strict();
export type Fixture = z.infer<typeof FixtureSchema>;

export const FixturesSchema = z
  .array(FixtureSchema)
  .min(1)
  .superRefine((fixtures, context) => {
    const seen = new Set<string>();
    fixtures.forEach((fixture, index) => {
      if (seen.has(fixture.id)) {
        context.addIssue({
          code: 'custom',
          path: [index, 'id'],
          message: `duplicate fixture id "${fixture.id}"`,
        });
      }
      seen.add(fixture.id);
    });
  });

export const OutputFieldSchema = z.discriminatedUnion('type', [
  z
    .object({
      name: z.string().regex(FIELD_NAME),
      type: z.literal('integer'),
      min: z.int(),
      max: z.int(),
    })
    .strict(),
  z.object({ name: z.string().regex(FIELD_NAME), type: z.literal('string') }).strict(),
]);
export type OutputField = z.infer<typeof OutputFieldSchema>;

/**
 * The answer's shape. `object`: one answer per call. `array`: one item per fixture in the call,
 * matched to fixtures by `idField`.
 */
export const OutputSpecSchema = z
  .object({
    shape: z.enum(['object', 'array']),
    fields: z.array(OutputFieldSchema).min(1),
    idField: z.string().regex(FIELD_NAME).optional(),
  })
  .strict()
  .superRefine((output, context) => {
    const names = output.fields.map((field) => field.name);
    if (new Set(names).size !== names.length) {
      context.addIssue({ code: 'custom', path: ['fields'], message: 'field names must be unique' });
    }
    if (output.shape === 'array' && output.idField === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['idField'],
        message: 'an array output needs idField',
      });
    }
    if (output.idField !== undefined && !names.includes(output.idField)) {
      context.addIssue({
        code: 'custom',
        path: ['idField'],
        message: `idField "${output.idField}" is not one of the fields`,
      });
    }
  });
export type OutputSpec = z.infer<typeof OutputSpecSchema>;

export const QualityThresholdsSchema = z
  .object({
    homeField: z.string().regex(FIELD_NAME),
    awayField: z.string().regex(FIELD_NAME),
    stuckShare: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe('Stuck when one answer is above this share'),
    stuckMinOutputs: z
      .int()
      .min(1)
      .default(8)
      .describe('Fewer outputs than this say nothing about being stuck (2-1 is simply common)'),
    stuckUnanimousMinOutputs: z
      .int()
      .min(2)
      .default(4)
      .describe(
        'Below stuckMinOutputs, the same answer to every one of at least this many fixtures is stuck (a 5-fixture canary of a model that always says 1-0)',
      ),
    maxTotal: z.int().min(0).default(10),
    maxSide: z.int().min(0).default(8),
    clearFavouriteMargin: z.int().min(1).max(100).default(15),
    contextBlindMinFixtures: z.int().min(1).default(3),
  })
  .strict();
export type QualityThresholds = z.infer<typeof QualityThresholdsSchema>;

/** Component keys the composer places first, in this order; any others follow in file order. */
export const REQUIRED_COMPONENTS = ['base', 'rules', 'output-format'] as const;

/** task.json as written in `resources/tasks/<id>/`; component and template paths are relative. */
export const TaskFileSchema = z
  .object({
    id: z.string().regex(TASK_ID),
    title: z.string().min(1).max(200),
    language: z.string().min(2).max(8).default('en'),
    components: z
      .record(z.string().regex(COMPONENT_KEY), z.string().min(1))
      .refine((components) => REQUIRED_COMPONENTS.every((key) => key in components), {
        message: `components must include ${REQUIRED_COMPONENTS.join(', ')}`,
      }),
    userTemplate: z.string().min(1),
    batchSize: z.int().min(1).max(50).optional().describe('Fixtures per call (array outputs)'),
    output: OutputSpecSchema,
    aliases: z.record(z.string().regex(FIELD_NAME), z.array(z.string().min(1))).default({}),
    wrappers: z
      .array(z.string().min(1))
      .default([])
      .describe('Keys a model may nest the answer under'),
    quality: QualityThresholdsSchema,
  })
  .strict();
export type TaskFile = z.infer<typeof TaskFileSchema>;

export const PromptComponentSchema = z
  .object({ key: z.string().regex(COMPONENT_KEY), text: z.string() })
  .strict();
export type PromptComponent = z.infer<typeof PromptComponentSchema>;

/** A loaded task pack: task.json with its component texts, user template and fixtures. */
export const TaskPackSchema = TaskFileSchema.omit({ components: true, userTemplate: true })
  .extend({
    components: z.array(PromptComponentSchema).min(1),
    userTemplate: z.string().min(1),
    fixtures: FixturesSchema,
  })
  .strict();
export type TaskPack = z.infer<typeof TaskPackSchema>;
export type TaskPackInput = z.input<typeof TaskPackSchema>;
