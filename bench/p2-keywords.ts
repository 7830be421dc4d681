import { pathToFileURL } from 'node:url';
import AhoCorasick from 'modern-ahocorasick';
import { seededRandom } from '../src/demo/random.js';
import { KeywordAutomaton } from '../src/modules/keywords/automaton.js';
import { type KeywordRule, KeywordRuleMatcher } from '../src/modules/keywords/rule-matcher.js';

/**
 * P2 of DESIGN.md §5, the matching half: 5,000 keywords over 100,000 generated Chinese messages
 * of 20–200 characters, messages/s on one core (one JS thread) for our automaton, for our
 * per-corp rule matcher, for `modern-ahocorasick` and for one RegExp alternation; then each
 * one's occurrences on a sample checked against a naive oracle (every keyword tried at every
 * offset): a RegExp cannot report overlapping keywords, so it misses some.
 */
export type P2Options = { keywords?: number; messages?: number; passes?: number; sample?: number; slowMessages?: number; seed?: number };

// About 500 of the most frequent hanzi: keywords and messages share them, so matches happen.
const hanzi = [
  ...new Set(
    '的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于就下得可你年生自会那后能对着事其里所去行过家十用发天如然作方成者多日都三小军二无同么经法当起与好看学进种将还分此心前面又定见只主没公从意动电理本部现把气进产品手册预约房价单报优惠活动会员购买意向客户周末服务联系微信电话地址时间门店体验试用课程老师学校孩子家长报名咨询费用合同签订付款退款发票快递物流订单数量颜色尺寸质量保修安装维修上门朋友推荐介绍新年春节国庆双十一促销折扣红包积分兑换礼品抽奖直播视频图片文章链接分享点赞评论收藏关注取消投诉建议满意感谢欢迎明天今天昨天上午下午晚上早上星期月份号码银行卡账户密码登录注册下载更新版本系统问题解决处理马上稍等请问麻烦帮忙知道清楚确认需要喜欢想要可以应该已经正在还是或者但是因为所以如果虽然而且然后最后首先其次另外比如例如特别非常比较一般主要重要简单方便快速免费价格便宜贵',
  ),
];

/** The seeded workload: keywords with shared prefixes and keywords inside keywords, and messages with some planted. */
export function p2Workload(o: Required<P2Options>): { keywords: string[]; messages: string[] } {
  const r = seededRandom(o.seed);
  const word = (min: number, max: number) => Array.from({ length: min + r.int(max - min + 1) }, () => r.pick(hanzi)).join('');
  const set = new Set<string>();
  while (set.size < o.keywords) {
    const roll = r.next();
    const some = set.size > 0 ? [...set][r.int(set.size)]! : undefined;
    // A fifth extend another keyword (shared prefix), a tenth are inside another (产品手册 → 手册).
    if (some && roll < 0.2) set.add(some + word(1, 2));
    else if (some && roll < 0.3 && some.length > 2) set.add(some.slice(1));
    else set.add(word(2, 5));
  }
  const keywords = [...set];
  const messages = Array.from({ length: o.messages }, () => {
    const length = 20 + r.int(181);
    let text = '';
    while (text.length < length) text += r.next() < 0.03 ? r.pick(keywords) : r.pick(hanzi);
    return text.slice(0, length);
  });
  return { keywords, messages };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// `slow`: timed on the first `slowMessages` messages only, one pass (they run 10–100× slower than ours).
type Matcher = { name: string; slow?: boolean; count: (text: string) => number; occurrences: (text: string) => string[] };

function matchers(keywords: string[]): { list: Matcher[]; buildMs: Record<string, number>; states: number } {
  const buildMs: Record<string, number> = {};
  const timed = <T>(name: string, f: () => T): T => {
    const t0 = performance.now();
    const value = f();
    buildMs[name] = Math.round(performance.now() - t0);
    return value;
  };
  const ours = timed('ours', () => KeywordAutomaton.build(keywords));
  // 200 rules of 25 keywords, every fifth `all` (a rule of the end-to-end half of P2's size).
  const rules: KeywordRule[] = Array.from({ length: 200 }, (_, i) => ({
    id: `r${i}`,
    keywords: keywords.slice(i * 25, i * 25 + 25),
    mode: i % 5 === 0 ? 'all' : 'any',
    match: 'contains',
  }));
  const ruleMatcher = timed('oursRuleMatcher', () => KeywordRuleMatcher.build(rules));
  const modern = timed('modernAhocorasick', () => new AhoCorasick(keywords));
  // Longest first, so at one start the RegExp takes the longest keyword (its best case).
  const alternation = timed(
    'regexp',
    () =>
      new RegExp(
        [...keywords]
          .sort((a, b) => b.length - a.length)
          .map(escapeRegExp)
          .join('|'),
        'g',
      ),
  );
  const regexpMatches = (text: string, each: (k: string, at: number) => void) => {
    alternation.lastIndex = 0;
    for (let m = alternation.exec(text); m; m = alternation.exec(text)) each(m[0], m.index);
  };
  const list: Matcher[] = [
    { name: 'ours', count: (t) => ours.countMatches(t), occurrences: (t) => ours.matches(t).map((m) => `${keywords[m.pattern]}@${m.start}`) },
    {
      name: 'oursRuleMatcher',
      count: (t) => ruleMatcher.match(t).length,
      occurrences: (t) => ruleMatcher.occurrences(t).map((o) => `${o.keyword}@${o.start}`),
    },
    { name: 'modernAhocorasick', slow: true, count: (t) => modern.count(t), occurrences: (t) => modern.search(t).map((m) => `${m.pattern}@${m.start}`) },
    {
      name: 'regexp',
      slow: true,
      count: (t) => {
        let n = 0;
        regexpMatches(t, () => n++);
        return n;
      },
      occurrences: (t) => {
        const found: string[] = [];
        regexpMatches(t, (k, at) => found.push(`${k}@${at}`));
        return found;
      },
    },
  ];
  return { list, buildMs, states: ours.stateCount };
}

function naive(keywords: string[], text: string): string[] {
  const found: string[] = [];
  for (const k of keywords) for (let i = text.indexOf(k); i !== -1; i = text.indexOf(k, i + 1)) found.push(`${k}@${i}`);
  return found;
}

/** Runs P2's matching half and returns its figures (see bench/README.md, "Reading P2"). */
export function benchP2Keywords(options: P2Options = {}) {
  const o = { keywords: 5_000, messages: 100_000, passes: 3, sample: 2_000, slowMessages: 10_000, seed: 2026, ...options };
  const { keywords, messages } = p2Workload(o);
  const characters = messages.reduce((n, m) => n + m.length, 0);
  const { list, buildMs, states } = matchers(keywords);
  const throughput: Record<
    string,
    { messagesPerSecond: number; messagesPerCpuSecond: number; messages: number; passMs: number[]; cpuMs: number[]; foundPerPass: number }
  > = {};
  for (const m of list) {
    const timedOn = m.slow ? messages.slice(0, o.slowMessages) : messages;
    // Warm-up until V8's optimising tier has compiled the loop: a first pass runs several times slower.
    for (const text of timedOn.slice(0, m.slow ? 1_000 : 20_000)) m.count(text);
    const passMs: number[] = [];
    const cpuMs: number[] = [];
    let found = 0;
    for (let pass = 0; pass < (m.slow ? 1 : o.passes); pass++) {
      found = 0;
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      for (const text of timedOn) found += m.count(text);
      const cpu = process.cpuUsage(cpu0);
      passMs.push(Math.round(performance.now() - t0));
      cpuMs.push(Math.round((cpu.user + cpu.system) / 1000));
    }
    const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
    const perSecond = (ms: number) => Math.round((timedOn.length / Math.max(ms, 1)) * 1000);
    throughput[m.name] = {
      messagesPerSecond: perSecond(median(passMs)),
      messagesPerCpuSecond: perSecond(median(cpuMs)),
      messages: timedOn.length,
      passMs,
      cpuMs,
      foundPerPass: found,
    };
  }
  // The oracle is slow (5,000 indexOf loops per message): check every matcher on an even sample.
  const step = Math.max(1, Math.floor(messages.length / o.sample));
  const checked = messages.filter((_, i) => i % step === 0).slice(0, o.sample);
  let oracleOccurrences = 0;
  const misses: Record<string, { missed: number; extra: number; messagesWithAMiss: number }> = Object.fromEntries(
    list.map((m) => [m.name, { missed: 0, extra: 0, messagesWithAMiss: 0 }]),
  );
  for (const text of checked) {
    const truth = new Set(naive(keywords, text));
    oracleOccurrences += truth.size;
    for (const m of list) {
      const got = new Set(m.occurrences(text));
      let missed = 0;
      for (const t of truth) if (!got.has(t)) missed++;
      for (const g of got) if (!truth.has(g)) misses[m.name]!.extra++;
      misses[m.name]!.missed += missed;
      if (missed > 0) misses[m.name]!.messagesWithAMiss++;
    }
  }
  return {
    target: { messagesPerSecond: '≥ 200,000 on one core (ours)', missed: '0 against the naive oracle' },
    workload: {
      keywords: keywords.length,
      messages: messages.length,
      meanCharacters: Math.round(characters / messages.length),
      seed: o.seed,
      passes: `${o.passes}, median (modernAhocorasick and regexp: one pass over the first ${o.slowMessages})`,
      automatonStates: states,
      ruleMatcher: '200 rules × 25 keywords, every fifth all; foundPerPass counts rules matched',
    },
    buildMs,
    throughput,
    oracle: { sampleMessages: checked.length, occurrences: oracleOccurrences, byMatcher: misses },
  };
}

// Run alone: `npx tsx bench/p2-keywords.ts [messages]` (no database needed).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const messages = process.argv[2] ? Number(process.argv[2]) : undefined;
  process.stdout.write(`${JSON.stringify(benchP2Keywords(messages ? { messages } : {}), null, 2)}\n`);
}
