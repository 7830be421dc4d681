import type { z } from 'zod';
import type { ContactWay, ContactWayDetail } from '../../../contracts/contact-ways.js';
import type { ContactWayRow } from '../../db/schema/index.js';
import type { Arrival } from './contact-ways.queries.js';

/** A way for the native API: WeCom's numeric type and scene read as words; `customers` is its arrival count. */
export function presentContactWay(way: ContactWayRow, customers: number): z.infer<typeof ContactWay> {
  return {
    configId: way.configId,
    type: way.type === 1 ? 'single' : 'multi',
    scene: way.scene === 1 ? 'miniprogram' : 'qrcode',
    style: way.style,
    remark: way.remark,
    skipVerify: way.skipVerify,
    state: way.state,
    qrCode: way.qrCode,
    userids: way.userids,
    departments: way.party,
    isTemp: way.isTemp,
    expiresIn: way.expiresIn,
    chatExpiresIn: way.chatExpiresIn,
    unionid: way.unionid,
    conclusions: way.conclusions ?? null,
    startsAt: way.startsAt?.toISOString() ?? null,
    endsAt: way.endsAt?.toISOString() ?? null,
    defaultTagIds: way.defaultTagIds,
    customers,
    createdAt: way.createdAt.toISOString(),
    updatedAt: way.updatedAt.toISOString(),
  };
}

/** A way with a page of the customers who came in through it. */
export function presentContactWayDetail(found: {
  way: ContactWayRow;
  customers: number;
  arrivals: Arrival[];
  nextCursor: string | null;
}): z.infer<typeof ContactWayDetail> {
  return {
    ...presentContactWay(found.way, found.customers),
    arrivals: found.arrivals.map((a) => ({ externalUserid: a.externalUserid, name: a.name, userid: a.userid, addTime: a.addTime.toISOString() })),
    nextCursor: found.nextCursor,
  };
}
