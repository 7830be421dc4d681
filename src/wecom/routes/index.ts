import type { FastifyInstance } from 'fastify';
import { contactWayRoutes } from './contact-ways.js';
import { corpTagRoutes } from './corp-tags.js';
import { customerStrategyRoutes } from './customer-strategies.js';
import { customerRoutes } from './customers.js';
import { followWriteRoutes } from './follow-writes.js';
import { gettokenRoutes } from './gettoken.js';
import { groupChatRoutes } from './group-chats.js';
import { joinWayRoutes } from './join-ways.js';
import { momentReadRoutes } from './moment-reads.js';
import { momentWriteRoutes } from './moment-writes.js';
import { strategyTagRoutes } from './strategy-tags.js';

/** Registers every WeCom-compatible endpoint under the plugin's `/cgi-bin` prefix. */
export async function wecomRoutes(app: FastifyInstance): Promise<void> {
  await gettokenRoutes(app);
  await corpTagRoutes(app);
  await customerRoutes(app);
  await followWriteRoutes(app);
  await strategyTagRoutes(app);
  await customerStrategyRoutes(app);
  await contactWayRoutes(app);
  await groupChatRoutes(app);
  await joinWayRoutes(app);
  await momentReadRoutes(app);
  await momentWriteRoutes(app);
}
