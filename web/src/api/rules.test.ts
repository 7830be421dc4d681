import { describe, expect, it } from 'vitest';
import { ApiError } from './client.js';
import { missingRoute, ruleSearch } from './rules.js';

describe('rules API helpers', () => {
  it('puts only the filters given into the query string', () => {
    expect(ruleSearch({})).toBe('');
    expect(ruleSearch({ q: '看房', trigger: 'schedule', tagId: undefined })).toBe('?q=%E7%9C%8B%E6%88%BF&trigger=schedule');
  });

  it('tells a route the server does not have yet from a missing rule', () => {
    expect(missingRoute(new ApiError(404, 'not_found', 'No route GET /api/v1/rules/r1/runs.'))).toBe(true);
    expect(missingRoute(new ApiError(404, 'not_found', 'No rule "r1".', [{ path: 'params.ruleId', message: 'unknown rule' }]))).toBe(false);
    expect(missingRoute(new ApiError(403, 'forbidden', 'No route to you'))).toBe(false);
    expect(missingRoute(new Error('No route'))).toBe(false);
  });
});
