import type { BatchRequest } from '../../api/customer-list.js';
import type { Selection } from './selection.js';

/**
 * What a batch sends as its selection: the picked ids, or in audience mode the filter's audience
 * text (never the ids, however many match), or `everyone` (all within the user's data scope) when the list is unfiltered.
 */
export function batchSelection(selection: Selection, text: string | undefined): BatchRequest['selection'] {
  if (selection.mode === 'ids') return { externalUserids: [...selection.ids] };
  return text ? { text } : { everyone: true };
}
