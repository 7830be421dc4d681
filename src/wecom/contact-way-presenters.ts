import type { ContactWayRow } from '../db/schema/index.js';

/**
 * get_contact_way's `contact_way`, in WeCom's field order. Fields a way never had (`style`,
 * a temporary way's expiries, `conclusions`) are left out rather than sent as null, as WeCom does.
 * Tagloom's own campaign window and default tags stay on the native API.
 */
export function presentWecomContactWay(way: ContactWayRow) {
  const out: Record<string, unknown> = { config_id: way.configId, type: way.type, scene: way.scene };
  if (way.style !== null) out.style = way.style;
  Object.assign(out, { remark: way.remark, skip_verify: way.skipVerify, state: way.state });
  if (way.scene === 2) out.qr_code = way.qrCode;
  Object.assign(out, { user: way.userids, party: way.party, is_temp: way.isTemp });
  if (way.expiresIn !== null) out.expires_in = way.expiresIn;
  if (way.chatExpiresIn !== null) out.chat_expires_in = way.chatExpiresIn;
  if (way.unionid) out.unionid = way.unionid;
  if (way.conclusions) out.conclusions = way.conclusions;
  return out;
}
