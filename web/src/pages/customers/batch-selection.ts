import type { BatchRequest } from '../../api/customer-list.js';
import type { Selection } from './selection.js';

/**
 * "Everyone the user may see" as an audience: every customer has one of WeCom's three gender codes
 * (0 unknown, 1 male, 2 female), and the server keeps a batch within the caller's data scope.
 */
export const everyone = { gender: [0, 1, 2] } as const;

/**
 * What a batch sends as its selection: the picked ids, or in audience mode the filter's audience
 * text (never the ids, however many match), or `everyone` when the list is unfiltered.
 */
export function batchSelection(selection: Selection, text: string | undefined): BatchRequest['selection'] {
  if (selection.mode === 'ids') return { externalUserids: [...selection.ids] };
  return text ? { text } : { expression: everyone };
}
