import type { FastifyInstance } from 'fastify';
import { appRoutes } from '../modules/apps/apps.routes.js';
import { audienceRoutes } from '../modules/audiences/audiences.routes.js';
import { auditRoutes } from '../modules/audit/audit.routes.js';
import { authRoutes } from '../modules/auth/auth.routes.js';
import { callbackLogRoutes } from '../modules/connector/callbacks/callbacks.routes.js';
import { connectorRoutes } from '../modules/connector/connection/connector.routes.js';
import { jssdkRoutes } from '../modules/connector/jssdk/jssdk.routes.js';
import { connectorPushRoutes } from '../modules/connector/push/push.routes.js';
import { contactWayRoutes } from '../modules/contact-ways/contact-ways.routes.js';
import { platformRoutes } from '../modules/corps/platform.routes.js';
import { settingsRoutes } from '../modules/corps/settings.routes.js';
import { customerEventRoutes } from '../modules/customer-events/customer-events.routes.js';
import { customerRoutes } from '../modules/customers/customers.routes.js';
import { transferRoutes } from '../modules/customers/transfer.routes.js';
import { groupChatRoutes } from '../modules/group-chats/group-chats.routes.js';
import { joinWayRoutes } from '../modules/group-chats/join-ways.routes.js';
import { importRoutes } from '../modules/imports/imports.routes.js';
import { messageRoutes } from '../modules/messages/messages.routes.js';
import { momentAnalyticsRoutes } from '../modules/moments/analytics/moment-analytics.routes.js';
import { momentInteractionRoutes } from '../modules/moments/interactions/interactions.routes.js';
import { momentRoutes } from '../modules/moments/moments.routes.js';
import { suppressionRoutes } from '../modules/moments/suppression/suppressions.routes.js';
import { operationRoutes } from '../modules/operations/operations.routes.js';
import { undoRoutes } from '../modules/operations/undo/undo.routes.js';
import { departmentRoutes } from '../modules/org/departments.routes.js';
import { employeeRoutes } from '../modules/org/employees.routes.js';
import { roleRoutes } from '../modules/permissions/roles.routes.js';
import { ruleRoutes } from '../modules/rules/rules.routes.js';
import { smartGroupRoutes } from '../modules/smart-groups/smart-groups.routes.js';
import { statsRoutes } from '../modules/stats/stats.routes.js';
import { strategyRoutes } from '../modules/strategies/strategies.routes.js';
import { personalTagRoutes } from '../modules/tags/personal-tags.routes.js';
import { tagRoutes } from '../modules/tags/tags.routes.js';
import { webhookSourceRoutes } from '../modules/webhooks/webhooks.routes.js';
import { webhookSubscriptionRoutes } from '../modules/webhooks-out/subscriptions.routes.js';

/**
 * Registers every native API route; the list is explicit so what `/api/v1` offers reads in one
 * place. The platform operator's routes exist only when a platform key is configured.
 */
export async function apiRoutes(app: FastifyInstance, opts: { platformKey?: string }): Promise<void> {
  await app.register(tagRoutes);
  await app.register(personalTagRoutes);
  await app.register(customerRoutes);
  await app.register(transferRoutes);
  await app.register(settingsRoutes);
  await app.register(authRoutes);
  await app.register(appRoutes);
  await app.register(departmentRoutes);
  await app.register(employeeRoutes);
  await app.register(roleRoutes);
  await app.register(auditRoutes);
  await app.register(customerEventRoutes);
  await app.register(groupChatRoutes);
  await app.register(joinWayRoutes);
  await app.register(audienceRoutes, { engine: app.audiences });
  await app.register(smartGroupRoutes, { engine: app.audiences });
  await app.register(strategyRoutes);
  await app.register(operationRoutes);
  await app.register(undoRoutes);
  await app.register(importRoutes);
  await app.register(statsRoutes, { engine: app.audiences });
  await app.register(webhookSourceRoutes);
  await app.register(webhookSubscriptionRoutes);
  await app.register(connectorRoutes);
  await app.register(callbackLogRoutes);
  await app.register(contactWayRoutes);
  await app.register(connectorPushRoutes);
  await app.register(ruleRoutes);
  await app.register(messageRoutes);
  await app.register(momentRoutes, { engine: app.audiences });
  await app.register(momentInteractionRoutes);
  await app.register(suppressionRoutes);
  await app.register(momentAnalyticsRoutes);
  await app.register(jssdkRoutes);
  if (opts.platformKey) await app.register(platformRoutes);
}
