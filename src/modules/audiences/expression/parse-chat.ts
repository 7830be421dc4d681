import type { GroupChatPredicate, Leaf } from '../../../../contracts/audience-expression/ast.js';
import { anyChat, chatIdPattern } from '../../../../contracts/audience-expression/vocabulary.js';
import { type Cursor, parseRange } from './parse-cursor.js';

/**
 * `groupchat:CHAT` with an optional join-time option `(within=3d)` or `(at=FROM..TO)`, the options
 * `event:` takes. CHAT is `*` (any chat), `#id`, a `wr…` chat id, or a chat name for the resolver.
 * @example parseGroupChat(cursor) // on 'groupchat:*(within=3d)' → { groupChat: { window: { within: { amount: 3, unit: 'd' } } } }
 */
export function parseGroupChat(c: Cursor): Leaf {
  c.expectOp(':', "after 'groupchat'");
  const groupChat: GroupChatPredicate = {};
  const node = { groupChat };
  const hash = c.acceptOp('#');
  const t = c.value(hash ? 'groupchat:#' : 'groupchat:');
  // `*` bare is any chat (quoted, it is a chat named *); a name waits for the resolver.
  if (hash || t.kind !== 'word' || t.text !== anyChat) {
    const byId = hash !== undefined || (t.kind === 'word' && chatIdPattern.test(t.text));
    groupChat.id = byId ? t.text : '';
    c.pending.push({ kind: 'chat', byId, text: t.text, offset: t.start, node });
  }
  if (!c.acceptOp('(')) return node;
  const key = c.peek();
  const option = key.kind === 'word' ? key.text.toLowerCase() : '';
  if (option !== 'within' && option !== 'at') c.fail(key, 'expected a join-time option: within= or at=');
  c.next();
  c.expectOp('=', `after '${option}'`);
  groupChat.window = option === 'within' ? { within: c.duration('within=') } : parseRange(c, 'at=');
  if (c.peek().kind === 'op' && c.peek().text === ',') c.fail(c.peek(), 'give one join-time option: within= or at=');
  c.expectOp(')', 'to close the options of groupchat');
  return node;
}
