import { expect, it } from 'vitest';
import { withTx } from '../../context.js';
import { describeDb } from '../../test/db.js';
import { buildCorp, buildCustomer, buildEmployees, buildTagGroup } from '../../test/factories.js';
import { marksOf } from '../operations/undo/test-support.js';
import { applyMarkChanges, applyToRelations } from './write-marks.js';

describeDb('the mark writer', (db) => {
  it('stores a rule run’s origin on each mark: rule id and version, and each mark’s own evidence event', async () => {
    const corp = await buildCorp(db().db);
    const [staff] = await buildEmployees(corp.ctx, 1, 'staff');
    const [c1, c2] = [await buildCustomer(corp.ctx, [staff!]), await buildCustomer(corp.ctx, [staff!])];
    const { tags } = await buildTagGroup(corp.ctx, ['购房意向', '待激活']);
    const [intent, dormant] = tags.map((t) => t.tagId) as [string, string];

    await withTx(corp.ctx, (tx) =>
      applyMarkChanges(
        tx,
        'opRULE1',
        [
          { externalUserid: c1, userid: staff!, tagId: intent, change: 'add', evidenceSeq: 41 },
          { externalUserid: c2, userid: staff!, tagId: intent, change: 'add' },
        ],
        { source: 'rule', ruleId: 'rule1', ruleVersion: 3, evidenceSeq: 40 },
      ),
    );
    await withTx(corp.ctx, (tx) =>
      applyToRelations(
        tx,
        'opRULE2',
        { externalUserids: [c1], userids: [staff!] },
        { add: [dormant], remove: [], personal: new Set() },
        { source: 'rule', ruleId: 'rule2', ruleVersion: 1 },
      ),
    );
    await withTx(corp.ctx, (tx) =>
      applyMarkChanges(tx, 'opBATCH', [{ externalUserid: c2, userid: staff!, tagId: dormant, change: 'add' }], { source: 'batch' }),
    );

    const origin = (await marksOf(db().db, corp.corpId)).map((m) => ({
      customer: m.externalUserid,
      tag: m.tagId,
      source: m.source,
      op: m.operationId,
      rule: m.ruleId,
      version: m.ruleVersion,
      evidence: m.evidenceSeq,
    }));
    const expected = [
      { customer: c1, tag: intent, source: 'rule', op: 'opRULE1', rule: 'rule1', version: 3, evidence: 41 },
      { customer: c2, tag: intent, source: 'rule', op: 'opRULE1', rule: 'rule1', version: 3, evidence: 40 },
      { customer: c1, tag: dormant, source: 'rule', op: 'opRULE2', rule: 'rule2', version: 1, evidence: null },
      { customer: c2, tag: dormant, source: 'batch', op: 'opBATCH', rule: null, version: null, evidence: null },
    ];
    const order = (a: { customer: string; tag: string }, b: { customer: string; tag: string }) =>
      `${a.customer}|${a.tag}`.localeCompare(`${b.customer}|${b.tag}`);
    expect(origin.sort(order)).toEqual(expected.sort(order));
  });
});
