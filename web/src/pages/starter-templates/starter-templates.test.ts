import { describe, expect, it } from 'vitest';
import { settingBounds } from '../../../../contracts/settings.js';
import { defaultSettings } from '../../../../src/modules/corps/settings.js';
import { findNameIssue, nameKey, normalizeName } from '../../../../src/names/name-policy.js';
import en from '../../i18n/en-US/starters.json';
import zh from '../../i18n/zh-CN/starters.json';
import { adopt, planAdoption } from './adopt-plan.js';
import { starterTemplates } from './templates.js';

const names = starterTemplates.flatMap((t) => t.groups.flatMap((g) => [g.name, ...g.tags]));

describe('starter tag templates', () => {
  it('covers the industries the console offers, each labelled in both languages', () => {
    expect(starterTemplates.map((t) => t.id)).toEqual(expect.arrayContaining(['realEstate', 'retail', 'hotel', 'education', 'beauty', 'auto', 'finance']));
    for (const t of starterTemplates) {
      expect(zh.industry).toHaveProperty(t.id);
      expect(en.industry).toHaveProperty(t.id);
      expect(t.groups.length).toBeGreaterThanOrEqual(3);
    }
  });

  it('every group and tag name passes the server’s name policy within the default 16-character limit, as stored', () => {
    expect(defaultSettings.nameMaxLength).toBe(16);
    for (const name of names) {
      expect(normalizeName(name), name).toBe(name);
      expect(findNameIssue(name, { max: defaultSettings.nameMaxLength }), name).toBeUndefined();
    }
  });

  it('has no two groups of a template, nor two tags of a group, that the server would take for one name', () => {
    for (const t of starterTemplates) {
      expect(new Set(t.groups.map((g) => nameKey(g.name))).size, t.id).toBe(t.groups.length);
      for (const g of t.groups) {
        expect(new Set(g.tags.map(nameKey)).size, `${t.id}/${g.name}`).toBe(g.tags.length);
        expect(g.tags.length).toBeGreaterThan(0);
        expect(g.tags.length).toBeLessThanOrEqual(settingBounds.tagsPerGroup);
      }
    }
    const total = Math.max(...starterTemplates.map((t) => t.groups.reduce((n, g) => n + g.tags.length, 0)));
    expect(total).toBeLessThan(defaultSettings.corpTagsMax);
  });

  it('real estate has the groups the issue names: 客户等级, 客户来源, 购买意向, 生命周期', () => {
    const realEstate = starterTemplates.find((t) => t.id === 'realEstate')!;
    expect(realEstate.groups.map((g) => g.name)).toEqual(expect.arrayContaining(['客户等级', '客户来源', '购买意向', '生命周期']));
  });
});

describe('adopting a template', () => {
  const groups = [
    { name: '客户等级', tags: ['A'] },
    { name: 'VIP 客户', tags: ['B'] },
    { name: '客户来源', tags: ['C'] },
  ];

  it('skips groups the corp already has, compared as the server compares names (case, width, spaces)', () => {
    const plan = planAdoption(['客户等级', 'ｖｉｐ  客户'], groups);
    expect(plan.skip.map((g) => g.name)).toEqual(['客户等级', 'VIP 客户']);
    expect(plan.create.map((g) => g.name)).toEqual(['客户来源']);
    expect(planAdoption([], groups).create).toHaveLength(3);
  });

  it('creates the rest one by one, reporting skipped ones and carrying on past a refusal with its message', async () => {
    const plan = planAdoption(['客户等级'], groups);
    const seen: string[] = [];
    const outcome = await adopt(
      plan,
      async (g) => {
        seen.push(g.name);
        if (g.name === 'VIP 客户') throw new Error('name_taken');
      },
      (e) => (e as Error).message,
    );
    expect(seen).toEqual(['VIP 客户', '客户来源']);
    expect(outcome).toEqual({ created: ['客户来源'], skipped: ['客户等级'], failed: [{ name: 'VIP 客户', error: 'name_taken' }] });
  });
});
