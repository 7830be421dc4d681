import type { FastifyRequest } from 'fastify';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { wecomCtx } from './wecom-context.js';

/**
 * The context of an endpoint only the customer-contact (客户联系) secret may call, such as the
 * rule-group APIs (wecom-api.md §3): an ordinary app's token gets 48002, after the token checks
 * and before the body is read. This gates which secret reaches the API, as WeCom does; what the
 * caller may then change is still the commands' to authorize (`strategy.manage`).
 */
export function customerContactCtx(request: FastifyRequest): Ctx {
  const ctx = wecomCtx(request);
  if (ctx.actor.kind !== 'app' || ctx.actor.appKind !== 'customer_contact') {
    throw new AppError('api_forbidden', { message: 'api forbidden: only the customer contact secret may call this api' });
  }
  return ctx;
}
