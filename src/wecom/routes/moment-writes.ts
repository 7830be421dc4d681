import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type Ctx, withTx } from '../../context.js';
import { AppError } from '../../errors.js';
import { recordEvent } from '../../events/record.js';
import { randomToken } from '../../ids.js';
import { cancelMoment } from '../../modules/moments/commands/cancel-moment.js';
import { createMoment } from '../../modules/moments/commands/create-moment.js';
import { countWecomMomentsSince, type MomentTaskInvalid, requireWecomMoment } from '../moment-queries.js';
import { addMomentTaskBody, readMomentTask } from '../moment-task-input.js';
import { parseBody, postMethods, requiredText } from '../parse.js';
import { wecomOk } from '../presenters.js';
import { wecomReply, wecomSchema } from '../wecom.openapi.js';
import { wecomCtx } from '../wecom-context.js';

/** WeCom's create rate for Moments: this many add_moment_task calls per corp per minute, then 45009. */
export const momentTasksPerMinute = 10;

const cancelBody = z.object({ moment_id: requiredText });

/** Refuses an 11th add_moment_task within a minute, as WeCom does (wecom-api.md §5: 10 per minute per corp). */
async function refuseOverRate(ctx: Ctx, now: Date): Promise<void> {
  const recent = await countWecomMomentsSince(ctx, new Date(now.getTime() - 60_000));
  if (recent >= momentTasksPerMinute) {
    throw new AppError('rate_limited', { message: `api freq out of limit: at most ${momentTasksPerMinute} add_moment_task per minute per corp` });
  }
}

/**
 * Keeps what add_moment_task could not use on the post's audit trail, where get_moment_task_result
 * reads it: the post itself keeps only what it went out with.
 */
async function recordInvalid(ctx: Ctx, momentId: string, jobid: string, invalid: MomentTaskInvalid): Promise<void> {
  if (invalid.userids.length + invalid.departmentIds.length + invalid.tagIds.length === 0) return;
  await withTx(ctx, (tx) =>
    recordEvent(tx, {
      type: 'moment.updated',
      subjectType: 'moment',
      subjectId: momentId,
      payload: { wecomJobid: jobid, wecomTaskInvalid: invalid },
      reason: 'add_moment_task: senders and tags WeCom reports as invalid',
    }),
  );
}

/**
 * The write side of WeCom's Moments API (wecom-api.md §5.1, §5.2): add_moment_task creates and
 * schedules a native post (so exclusions, suppression and the frequency cap hold for it exactly as
 * for posts made in the console) and answers its `jobid`; cancel_moment_task cancels what has not
 * gone out yet.
 */
export async function momentWriteRoutes(app: FastifyInstance): Promise<void> {
  app.route({
    method: postMethods,
    url: '/externalcontact/add_moment_task',
    schema: wecomSchema({
      summary: 'Create a Moments task (a post sent at once)',
      description:
        'wecom-api.md §5.1: `text.content` up to 2,000 characters (else 40058 "invalid text size"); `attachments` 9 images, or 1 video, or 1 link (a mix or an unknown kind 41065, too many 41064); text and attachments not both empty (41089). `visible_range.sender_list` picks the senders (unknown, departed or out-of-range ones are left out and reported by get_moment_task_result), `external_contact_list.tag_list` the customers with any of those corp tags (rule-group and unknown tags likewise). Suppression and the frequency cap apply. At most 10 per minute per corp (45009).',
      body: addMomentTaskBody,
      reply: wecomReply({ jobid: z.string() }),
    }),
    config: { wecomEmpty: { jobid: '' } },
    handler: async (request) => {
      const ctx = wecomCtx(request);
      const body = parseBody(request, addMomentTaskBody);
      const now = new Date();
      await refuseOverRate(ctx, now);
      const { input, invalid } = await readMomentTask(ctx, body);
      const jobid = `mj${randomToken(40)}`;
      const moment = await createMoment(ctx, app.audiences, input, { wecomJobid: jobid, now });
      await recordInvalid(ctx, moment.momentId, jobid, invalid);
      return wecomOk({ jobid });
    },
  });

  app.route({
    method: postMethods,
    url: '/externalcontact/cancel_moment_task',
    schema: wecomSchema({
      summary: 'Cancel a Moments task',
      description:
        'wecom-api.md §5.2 (doc 97612): deliveries not yet sent are cancelled, those sent stay. Missing moment_id 41059, unknown 41060, a post already cancelled or finished 40058.',
      body: cancelBody,
      reply: wecomReply(),
    }),
    handler: async (request) => {
      const body = parseBody(request, cancelBody, { moment_id: 'moment_id_missing' });
      const ctx = wecomCtx(request);
      await requireWecomMoment(ctx, body.moment_id);
      await cancelMoment(ctx, body.moment_id);
      return wecomOk();
    },
  });
}
