import { describe, expect, it } from 'vitest';
import { eventFilterOptions, filterMatches, unknownEntries } from './event-filter.js';

const types = ['tag.created', 'tag.deleted', 'follow.tags_changed'];

describe('event filter', () => {
  it('offers everything, one pattern per resource, then each type', () => {
    expect(eventFilterOptions(types)).toEqual(['*', 'tag.*', 'follow.*', 'tag.created', 'tag.deleted', 'follow.tags_changed']);
  });

  it('matches exact types, prefix patterns (not a longer resource name) and the wildcard', () => {
    expect(filterMatches('tag.*', 'tag.created')).toBe(true);
    expect(filterMatches('tag.*', 'tag_group.created')).toBe(false);
    expect(filterMatches('*', 'follow.tags_changed')).toBe(true);
    expect(filterMatches('tag.created', 'tag.deleted')).toBe(false);
  });

  it('names the entries that match nothing', () => {
    expect(unknownEntries(['tag.*', 'order.*', 'tag.renamed'], types)).toEqual(['order.*', 'tag.renamed']);
  });
});
