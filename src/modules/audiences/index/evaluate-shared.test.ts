import { describe, expect, it } from 'vitest';
import type { Expr } from '../../../../contracts/audience-expression/ast.js';
import type { EvalContext } from '../context.js';
import { addTo, type CorpIndex, emptyCorpIndex } from './corp-index.js';
import { evaluateOnIndex } from './evaluate.js';

// The evaluator reads the index's own bitmaps in place (a tag, a city, a cached region) instead
// of copying them: whatever a caller does with an answer must never reach the index.
function smallIndex(): CorpIndex {
  const index = emptyCorpIndex('ww-shared', { xmax: 0n, pending: [], floor: 0 });
  index.universe.addRange(1, 11);
  addTo(index.tags, 'a', [1, 2, 3, 4]);
  addTo(index.tags, 'b', [3, 4, 5]);
  addTo(index.tags, 'empty-soon', [9]);
  index.tags.get('empty-soon')!.remove(9);
  addTo(index.personalTags, 'p', [6]);
  addTo(index.facets.city, '上海', [2, 4, 6, 8]);
  addTo(index.facets.gender, '1', [1, 3, 5, 7, 9]);
  addTo(index.facets.department, '2', [7, 8]);
  index.departments.set(2, { parentId: 1, region: '华东' });
  return index;
}

const ctx: EvalContext = { now: new Date('2025-08-15T00:00:00Z'), tagGroups: new Map(), departmentParents: new Map([[2, 1]]) };

const contents = (index: CorpIndex) => ({
  universe: index.universe.toArray(),
  tags: [...index.tags].map(([k, b]) => [k, b.toArray()]),
  personal: [...index.personalTags].map(([k, b]) => [k, b.toArray()]),
  city: [...index.facets.city].map(([k, b]) => [k, b.toArray()]),
  gender: [...index.facets.gender].map(([k, b]) => [k, b.toArray()]),
});

const expressions: [Expr, number[]][] = [
  [{ tag: 'a' }, [1, 2, 3, 4]],
  [{ tag: 'p' }, [6]],
  [{ tag: 'unknown' }, []],
  [{ tag: 'empty-soon' }, []],
  [{ city: ['上海'] }, [2, 4, 6, 8]],
  [{ gender: [1] }, [1, 3, 5, 7, 9]],
  [{ region: ['华东'] }, [7, 8]],
  [{ all: [{ tag: 'a' }] }, [1, 2, 3, 4]],
  [{ any: [{ tag: 'b' }] }, [3, 4, 5]],
  [{ all: [{ tag: 'a' }, { tag: 'b' }] }, [3, 4]],
  [{ all: [{ tag: 'b' }, { city: ['上海'] }, { gender: [1] }] }, []],
  [{ all: [{ tag: 'a' }, { not: { city: ['上海'] } }] }, [1, 3]],
  [{ all: [{ not: { tag: 'a' } }] }, [5, 6, 7, 8, 9, 10]],
  [{ all: [{ tag: 'unknown' }, { tag: 'a' }] }, []],
  [{ any: [{ tag: 'a' }, { region: ['华东'] }] }, [1, 2, 3, 4, 7, 8]],
  [{ not: { gender: [1] } }, [2, 4, 6, 8, 10]],
];

describe('evaluateOnIndex over shared bitmaps', () => {
  it.each(expressions)('answers %j with a set of its own: changing it leaves the index as it was', (expr, want) => {
    const index = smallIndex();
    const before = contents(index);
    const answer = evaluateOnIndex(index, expr, ctx);
    expect(answer.toArray()).toEqual(want);
    answer.add(10);
    answer.remove(want[0] ?? 1);
    answer.clear();
    expect(contents(index)).toEqual(before);
    expect(evaluateOnIndex(index, expr, ctx).toArray()).toEqual(want);
  });
});
