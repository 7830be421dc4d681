import { sql } from 'drizzle-orm';
import type { DryRunResult, RuleDefinition } from '../../../../contracts/rules.js';
import { actorLabel, type TxCtx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import type { OutboxEvent } from '../../../events/snapshot-cursor.js';
import { loadCatalog } from '../../audiences/service/catalog.js';
import { readCorpSettings } from '../../corps/settings.js';
import type { MarkChange } from '../../marks/write-marks.js';
import { planActions } from './actions.js';
import { type EngineEvent, engineEvents, triggerEventTypes } from './engine-events.js';
import { type Firing, fire } from './fire.js';
import type { LiveRule } from './live-rules.js';
import { lastChangePerMark } from './record-run.js';
import { scheduleMembers } from './run-schedules.js';
import { ruleKindOf } from './run-triggered.js';

/** How many past events a dry run reads at most (newest first); beyond it the result says `truncated`. */
export const dryRunEventLimit = 20_000;

type DryRunInput = { ruleId?: string; version?: number; definition: RuleDefinition; days: number; samples: number };

/**
 * What a rule (a draft, or a saved version) would do now, writing nothing: an event rule replays
 * the last `days` of recorded trigger events (newest 20,000) against current data; a schedule
 * evaluates its audience now. Template tags that do not exist yet are reported as new. A keyword
 * draft is matched against the keywords messages were found to contain when they came in (their
 * text is not kept), so a keyword no rule had then cannot be seen in the past.
 */
export async function dryRun(ctx: TxCtx, input: DryRunInput, now = new Date()): Promise<DryRunResult> {
  const rule: LiveRule = {
    ruleId: input.ruleId ?? 'draft',
    name: 'draft',
    version: input.version ?? 0,
    author: actorLabel(ctx.actor),
    enabledAt: new Date(0),
    definition: input.definition,
  };
  const nameMax = (await readCorpSettings(ctx)).nameMaxLength;
  const failures = new Map<string, number>();
  const add = (m: ReadonlyMap<string, number>) => {
    for (const [k, n] of m) failures.set(k, (failures.get(k) ?? 0) + n);
  };
  let firings: Firing[];
  let events = 0;
  let truncated = false;
  if (rule.definition.trigger.kind === 'schedule') {
    const members = await scheduleMembers(ctx, rule, now);
    firings = members.map((m) => ({ seq: 0, externalUserid: m.external_userid, at: now, fields: {} }));
  } else {
    const past = await pastEvents(ctx, input.days, now);
    truncated = past.length > dryRunEventLimit;
    const engine = past
      .slice(0, dryRunEventLimit)
      .reverse()
      .flatMap(engineEvents)
      .filter((e) => ruleKindOf[e.event.kind] === rule.definition.trigger.kind)
      .map((e) => withDraftHits(e, rule));
    events = engine.length;
    const result = await fire(ctx, rule, engine, async () => (await loadCatalog(ctx, now)).eval);
    add(result.notFired);
    firings = result.firings;
  }
  const plan = await planActions(ctx, rule, firings, { plan: true, nameMax });
  add(plan.failures);
  const { gains, losses } = await diff(ctx, plan.changes, plan.plannedTags, input.samples);
  return {
    events,
    fired: firings.length,
    truncated,
    gains,
    losses,
    failures: [...failures].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
  };
}

// A message event carries the hits of the rules enabled when it came in; a draft (or a version
// edited since) is matched again against the keywords the message was found to contain.
function withDraftHits(e: EngineEvent, rule: LiveRule): EngineEvent {
  const { trigger } = rule.definition;
  if (e.event.kind !== 'message' || trigger.kind !== 'message.keyword') return e;
  const found = new Set(e.keywords ?? []);
  const hits = trigger.keywords.filter((k) => found.has(k));
  return { ...e, ruleHits: new Map(hits.length > 0 ? [[rule.ruleId, hits]] : []) };
}

async function pastEvents(ctx: TxCtx, days: number, now: Date): Promise<OutboxEvent[]> {
  const rows = await queryRows<{ seq: number; type: string; subject_type: string; subject_id: string; payload: unknown; actor: string; at: Date | string }>(
    ctx.tx,
    sql`select seq, type, subject_type, subject_id, payload, actor, at from events
      where corp_id = ${ctx.corpId} and type = any(${sql.param([...triggerEventTypes])}::text[])
        and at > ${now.toISOString()}::timestamptz - make_interval(days => ${days})
      order by seq desc limit ${dryRunEventLimit + 1}`,
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    txid: 0n,
    type: r.type,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    payload: r.payload,
    before: null,
    after: null,
    operationId: null,
    actor: r.actor,
    at: new Date(r.at),
  }));
}

type TagChange = DryRunResult['gains'][number];

/** The changes that would take effect (a mark not there yet, or there to take off), grouped by tag. */
async function diff(ctx: TxCtx, changes: readonly MarkChange[], planned: ReadonlyMap<string, { name: string; groupName: string }>, samples: number) {
  const last = lastChangePerMark(changes);
  const list = [...last.values()];
  const existing = await queryRows<{ n: number }>(
    ctx.tx,
    sql`select c.n from unnest(${sql.param(list.map((c) => c.externalUserid))}::text[], ${sql.param(list.map((c) => c.userid))}::text[],
        ${sql.param(list.map((c) => c.tagId))}::text[]) with ordinality as c(ext, userid, tag_id, n)
      where exists (select 1 from marks m where m.corp_id = ${ctx.corpId} and m.external_userid = c.ext and m.userid = c.userid and m.tag_id = c.tag_id)`,
  );
  const present = new Set(existing.map((r) => Number(r.n) - 1));
  const byTag = (change: 'add' | 'remove') => {
    const out = new Map<string, Set<string>>();
    list.forEach((c, i) => {
      if (c.change !== change || present.has(i) === (change === 'add')) return;
      out.set(c.tagId, (out.get(c.tagId) ?? new Set()).add(c.externalUserid));
    });
    return out;
  };
  const gained = byTag('add');
  const lost = byTag('remove');
  const tagIds = [...new Set([...gained.keys(), ...lost.keys()])].filter((id) => !planned.has(id));
  const names = await queryRows<{ tag_id: string; name: string; group_name: string }>(
    ctx.tx,
    sql`select t.tag_id, t.name, g.name as group_name from tags t join tag_groups g on g.corp_id = t.corp_id and g.group_id = t.group_id
      where t.corp_id = ${ctx.corpId} and t.tag_id = any(${sql.param(tagIds)}::text[])`,
  );
  const tagName = new Map(names.map((r) => [r.tag_id, { name: r.name, groupName: r.group_name }]));
  const sampleIds = [...gained.values(), ...lost.values()].flatMap((s) => [...s].slice(0, samples));
  const people = await queryRows<{ external_userid: string; name: string }>(
    ctx.tx,
    sql`select external_userid, name from customers where corp_id = ${ctx.corpId} and external_userid = any(${sql.param([...new Set(sampleIds)])}::text[])`,
  );
  const personName = new Map(people.map((p) => [p.external_userid, p.name]));
  const entries = (m: Map<string, Set<string>>): TagChange[] =>
    [...m].map(([tagId, customers]) => {
      const label = planned.get(tagId) ?? tagName.get(tagId) ?? { name: tagId, groupName: '' };
      return {
        tagId: planned.has(tagId) ? null : tagId,
        tagName: label.name,
        groupName: label.groupName,
        customers: customers.size,
        samples: [...customers].slice(0, samples).map((id) => ({ externalUserid: id, name: personName.get(id) ?? '' })),
      };
    });
  return { gains: entries(gained), losses: entries(lost) };
}
