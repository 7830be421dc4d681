import { z } from 'zod';
import { chars, Id, PositiveInt32, Timestamp } from './common.js';

const seconds = z
  .int()
  .min(1)
  .max(14 * 24 * 3600)
  .meta({ description: 'Seconds, at most 14 days; only for a temporary way.' });
const Conclusions = z.record(z.string(), z.unknown()).meta({ description: "WeCom's 结束语 (text / image / link / miniprogram), stored as given." });

/** The fields a way's author may change after creating it (WeCom fixes type, scene and is_temp). */
const editable = {
  style: z.int().min(0).max(2_147_483_647).nullable().optional(),
  remark: chars(30).optional(),
  skipVerify: z.boolean().optional().meta({ description: 'Add without the member confirming (WeCom default: true).' }),
  state: chars(30).optional().meta({ description: "The channel marker WeCom echoes in the follow's `state`; unique among the corp's live ways." }),
  userids: z.array(Id).max(100).optional(),
  departments: z.array(PositiveInt32).max(100).optional(),
  expiresIn: seconds.nullable().optional(),
  chatExpiresIn: seconds.nullable().optional(),
  unionid: z.string().max(64).optional(),
  conclusions: Conclusions.nullable().optional(),
  startsAt: Timestamp.nullable().optional().meta({ description: 'Campaign window start: default tags go on customers added from then (null: no start).' }),
  endsAt: Timestamp.nullable().optional().meta({ description: 'Campaign window end (exclusive; null: no end).' }),
  defaultTagIds: z
    .array(Id)
    .max(100)
    .optional()
    .meta({ description: 'Enterprise tags put on every customer added through the way inside its window; you must be allowed to apply each.' }),
};

/** `POST /contact-ways`: a new contact way (活码). */
export const CreateContactWayBody = z.strictObject({
  type: z.enum(['single', 'multi']),
  scene: z.enum(['miniprogram', 'qrcode']),
  isTemp: z.boolean().optional().meta({ description: 'A temporary (临时会话) way: single-person only.' }),
  ...editable,
});

/** `PATCH /contact-ways/:configId`: the fields to change; left-out fields stay, `null` clears. */
export const UpdateContactWayBody = z.strictObject(editable).refine((b) => Object.keys(b).length > 0, 'give at least one field to change');

/** `:configId` in a path. */
export const ConfigIdParams = z.strictObject({ configId: Id });

/** `GET /contact-ways/:configId`: a page of the customers who came in through it. */
export const ContactWayQuery = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** A contact way as the API answers it, with how many customers (within your reach) came in through it. */
export const ContactWay = z.object({
  configId: z.string(),
  type: z.enum(['single', 'multi']),
  scene: z.enum(['miniprogram', 'qrcode']),
  style: z.int().nullable(),
  remark: z.string(),
  skipVerify: z.boolean(),
  state: z.string(),
  qrCode: z.string().meta({
    description: "For a QR-code way: what its QR code encodes (a Tagloom link, until the connector stores WeCom's URL). Empty for a mini-program way.",
  }),
  userids: z.array(z.string()),
  departments: z.array(z.int()),
  isTemp: z.boolean(),
  expiresIn: z.int().nullable(),
  chatExpiresIn: z.int().nullable(),
  unionid: z.string(),
  conclusions: Conclusions.nullable(),
  startsAt: Timestamp.nullable(),
  endsAt: Timestamp.nullable(),
  defaultTagIds: z.array(z.string()),
  customers: z.int().meta({ description: "Customers whose follow carries this way's state, among those you reach." }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/** `GET /contact-ways`: every live way, newest first. */
export const ContactWayList = z.object({ contactWays: z.array(ContactWay) });

/** One customer who came in through a way, on the relation it was added on. */
export const ContactWayArrival = z.object({ externalUserid: z.string(), name: z.string(), userid: z.string(), addTime: Timestamp });

/** `GET /contact-ways/:configId`: the way and a page of who came in through it (newest first). */
export const ContactWayDetail = ContactWay.extend({ arrivals: z.array(ContactWayArrival), nextCursor: z.string().nullable() });

/** `GET /contact-ways/:configId/arrivals`: a page of who came in through a way, newest first; `total` counts them all. */
export const ContactWayArrivals = z.object({ arrivals: z.array(ContactWayArrival), nextCursor: z.string().nullable(), total: z.int() });
