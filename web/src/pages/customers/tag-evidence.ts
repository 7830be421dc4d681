import type { OriginTag } from './tag-origin.js';

/** A rule-made tag's trigger event as the detail receives it. */
export type TagEvidence = NonNullable<NonNullable<OriginTag['origin']>['evidence']>;
/** The rule that made a tag. */
export type TagRule = NonNullable<NonNullable<OriginTag['origin']>['rule']>;

/** The part of i18next's `t` the sentence needs (keys under `customers:detail.evidence`). */
export type Translate = (key: string, params?: Record<string, string>) => string;

/**
 * Per evidence type: the translation key of its sentence and the `details` fields it needs. An
 * event missing one of them (an older payload) is told by the server's English `summary` instead.
 */
const sentences: Record<string, { key: string; needs: readonly string[] }> = {
  'message.matched': { key: 'message', needs: ['time', 'keywords'] },
  'contact_way.customer_added': { key: 'contactWay', needs: ['state'] },
  'group_chat.member_joined': { key: 'groupChat', needs: ['time', 'chatId'] },
  'customer_event.recorded': { key: 'customerEvent', needs: ['eventType'] },
  'webhook.received': { key: 'webhook', needs: ['sourceId', 'eventType'] },
  schedule: { key: 'schedule', needs: ['time'] },
};

/** Today's date in the corp's timezone (the server writes evidence times in Asia/Shanghai), `YYYY-MM-DD`. */
function corpDate(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/**
 * The evidence line of a rule-made tag in the console's language, e.g. 「10:02 的消息包含 预约、看房」
 * or "message at 10:02 contained 预约, 看房": built from `type` and `details` (a time of today
 * loses its date, keyword lists take the language's separator), falling back to the server's
 * English `summary` for an event type the console does not know or one missing a field.
 */
export function evidenceSentence(evidence: TagEvidence, t: Translate, now: Date = new Date()): string {
  const sentence = sentences[evidence.type];
  const details = evidence.details;
  if (!sentence || sentence.needs.some((field) => !details[field])) return evidence.summary;
  const today = `${corpDate(now)} `;
  const params: Record<string, string> = { ...details };
  if (details.time?.startsWith(today)) params.time = details.time.slice(today.length);
  if (details.keywords) params.keywords = details.keywords.split(', ').join(t('detail.evidence.listSeparator'));
  return t(`detail.evidence.${sentence.key}`, params);
}

/** The rule a tag was made by, e.g. 「规则「看房意向」第 2 版」. */
export function ruleLabel(rule: TagRule, t: Translate): string {
  return t('detail.evidence.rule', { name: rule.name, version: String(rule.version) });
}
