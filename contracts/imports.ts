import { z } from 'zod';

// ---- input ----

const flag = (description: string) =>
  z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .meta({ description });

/** `POST /imports`: the CSV is the body (text/csv); how to run it is the query. */
export const ImportQuery = z.strictObject({
  dryRun: flag('Check the file and report what would be imported, writing nothing.'),
  createTags: flag('Create tags (and groups) named as `group/tag` that do not exist yet; needs `tag.create`, and `tagGroup.create` for new groups.'),
  fileName: z.string().max(200).optional().meta({ description: "The file's name, kept on the operation for the history." }),
});

/** `GET /customers/export`: one row per customer (default), or per follow relation in the import file's columns. */
export const ExportQuery = z.strictObject({
  layout: z.enum(['customers', 'relations']).default('customers').meta({
    description:
      "`customers`: a row per customer with its followers and tags. `relations`: a row per follow relation in the import file's columns (`external_userid, name, gender, province, city, corp_name, userid, add_time, tags`), enterprise and rule-group tags only, so the file can be edited and imported back.",
  }),
});

// ---- output ----

/** One problem with the file: the line, the column (a header name, or a character position in malformed CSV) and what. */
export const ImportIssue = z.object({
  line: z.number().int().meta({ description: 'The physical line (1 = the header); 0 = the file as a whole.' }),
  column: z.union([z.string(), z.number()]),
  message: z.string(),
});

/** A dry run's report. */
export const ImportReport = z.object({
  valid: z.boolean(),
  encoding: z.enum(['utf-8', 'utf-8-bom', 'gbk']),
  rows: z.number().int().meta({ description: 'Data rows read (the header aside).' }),
  customersNew: z.number().int(),
  relationsNew: z.number().int(),
  marks: z.number().int().meta({ description: 'Marks the import would add (those already there are not counted).' }),
  tagsToCreate: z.array(z.string()).meta({ description: '`group/tag` of each tag that `createTags` would create.' }),
  errors: z.array(ImportIssue),
});

/** A finished import: one operation, which `POST /operations/:id/undo` reverses. */
export const ImportOutcome = z.object({
  operationId: z.string(),
  result: z.object({
    rows: z.number().int(),
    customersCreated: z.number().int(),
    relationsCreated: z.number().int(),
    tagsCreated: z.number().int(),
    added: z.number().int(),
  }),
});
