import { z } from 'zod';

/** `GET /connector/jssdk-config?url=`: the sidebar page's own URL, without its `#fragment`, as WeCom signs it. */
export const JssdkConfigQuery = z.strictObject({ url: z.string().min(1).max(2048) });

/**
 * What `ww.register`'s agentConfig needs: WeCom's corpid (not Tagloom's corp id), the agent, and a
 * signature of the page URL over the corp's `agent_config` ticket. The ticket itself never leaves the server.
 */
export const JssdkConfig = z.object({
  corpId: z.string(),
  agentId: z.int().nullable(),
  timestamp: z.int(),
  nonceStr: z.string(),
  signature: z.string(),
});
