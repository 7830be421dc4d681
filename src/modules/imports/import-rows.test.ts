import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv/parse-csv.js';
import { parseTagRefs, readImportRows } from './import-rows.js';

const read = (text: string) => readImportRows(parseCsv(text));

describe('readImportRows', () => {
  it('reads rows in any column order, with genders, times and tags', () => {
    const { rows, issues } = read('userid,Name,gender,add_time,tags\nu1,张三,女,2026-03-01T09:30:00+08:00,客户等级/A级；看房\nu2,李四,1,2026-03-02,\n');
    expect(issues).toEqual([]);
    expect(rows[0]).toMatchObject({
      line: 2,
      userid: 'u1',
      name: '张三',
      gender: 2,
      addTime: new Date('2026-03-01T01:30:00Z'),
      tags: [{ group: '客户等级', name: 'A级' }, { name: '看房' }],
    });
    expect(rows[1]).toMatchObject({ gender: 1, addTime: new Date('2026-03-02T00:00:00Z'), tags: [] });
  });

  it('reports every problem by line and column', () => {
    expect(read('userid,nmae,name\n').issues).toEqual([{ line: 1, column: 'nmae', message: expect.stringMatching(/unknown column "nmae"/) }]);
    expect(read('name\nx\n').issues).toEqual([{ line: 1, column: 'userid', message: expect.stringMatching(/required/) }]);
    expect(read('userid,name\n').issues).toEqual([{ line: 2, column: '', message: expect.stringMatching(/no data rows/) }]);
    expect(read('').issues[0]!.message).toMatch(/empty/);
    const { issues } = read('userid,name,gender,add_time,tags,external_userid\nu1,a,x,2026-13-45,/A,bad id\n,b,,,,\nu1,c\n');
    expect(issues).toEqual([
      { line: 2, column: 'external_userid', message: expect.stringMatching(/not an external_userid/) },
      { line: 2, column: 'gender', message: expect.stringMatching(/not a gender/) },
      { line: 2, column: 'add_time', message: expect.stringMatching(/not an ISO date/) },
      { line: 2, column: 'tags', message: expect.stringMatching(/"\/A" is not a tag/) },
      { line: 3, column: 'userid', message: expect.stringMatching(/required/) },
      { line: 4, column: '', message: 'the row has 2 cells; the header has 6' },
    ]);
  });

  it('splits tags on ; and the first /', () => {
    expect(parseTagRefs(' a/b ; c;; d/e/f ')).toEqual([
      { group: 'a', name: 'b', text: 'a/b' },
      { name: 'c', text: 'c' },
      { group: 'd', name: 'e/f', text: 'd/e/f' },
    ]);
  });
});
