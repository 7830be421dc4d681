import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import en from '../../i18n/en-US/customers.json';
import zh from '../../i18n/zh-CN/customers.json';
import { evidenceSentence, ruleLabel, type TagEvidence, type Translate } from './tag-evidence.js';

const i18n = i18next.createInstance();
const translator =
  (lng: string): Translate =>
  (key, params) =>
    i18n.t(key, { ...params, lng, ns: 'customers' });

beforeAll(async () => {
  await i18n.init({ resources: { 'zh-CN': { customers: zh }, 'en-US': { customers: en } }, interpolation: { escapeValue: false } });
});

const now = new Date('2026-12-07T05:00:00Z'); // 13:00 on 2026-12-07 in Shanghai
const evidence = (type: string, details: Record<string, string>, summary = `summary of ${type}`): TagEvidence => ({
  seq: 1,
  type,
  at: '2026-12-07T02:02:00.000Z',
  details,
  summary,
});

describe('a rule-made tag’s evidence line', () => {
  it('says in Chinese and English what the message contained, with today’s time without its date', () => {
    const matched = evidence('message.matched', { keywords: '预约, 看房', userid: 'zhang', time: '2026-12-07 10:02' });
    expect(evidenceSentence(matched, translator('zh-CN'), now)).toBe('10:02 的消息包含 预约、看房');
    expect(evidenceSentence(matched, translator('en-US'), now)).toBe('message at 10:02 contained 预约, 看房');
    const older = evidence('message.matched', { keywords: '学区', time: '2026-12-01 09:15' });
    expect(evidenceSentence(older, translator('zh-CN'), now)).toBe('2026-12-01 09:15 的消息包含 学区');
  });

  it('tells each kind of trigger event', () => {
    const zhT = translator('zh-CN');
    const enT = translator('en-US');
    const cases: [TagEvidence, string, string][] = [
      [
        evidence('contact_way.customer_added', { state: 'spring-fair', configId: 'cw1' }),
        '通过渠道活码添加（state：spring-fair）',
        'added through a contact way (state spring-fair)',
      ],
      [
        evidence('group_chat.member_joined', { chatId: 'wrChat1', time: '2026-12-06 20:30' }),
        '2026-12-06 20:30 加入群聊 wrChat1',
        'joined group chat wrChat1 at 2026-12-06 20:30',
      ],
      [evidence('customer_event.recorded', { eventType: 'link.opened' }), '客户行为：link.opened', 'customer event link.opened'],
      [
        evidence('webhook.received', { sourceId: 'whShop', eventType: 'order.paid', target: 'sku-9' }),
        'Webhook whShop 收到 order.paid 事件',
        'webhook order.paid from whShop',
      ],
      [evidence('schedule', { time: '2026-12-07 03:00' }), '03:00 定时运行', 'scheduled run at 03:00'],
    ];
    for (const [e, zhText, enText] of cases) {
      expect(evidenceSentence(e, zhT, now)).toBe(zhText);
      expect(evidenceSentence(e, enT, now)).toBe(enText);
    }
  });

  it('falls back to the server’s summary for an unknown type or a missing field', () => {
    expect(evidenceSentence(evidence('customer.created', {}, 'customer.created'), translator('zh-CN'), now)).toBe('customer.created');
    expect(evidenceSentence(evidence('contact_way.customer_added', { configId: 'cw1' }, 'added through contact way cw1'), translator('zh-CN'), now)).toBe(
      'added through contact way cw1',
    );
  });

  it('names the rule and its version', () => {
    const rule = { ruleId: 'ru1', name: '看房意向', version: 2 };
    expect(ruleLabel(rule, translator('zh-CN'))).toBe('规则「看房意向」第 2 版');
    expect(ruleLabel(rule, translator('en-US'))).toBe('rule “看房意向” v2');
  });
});
