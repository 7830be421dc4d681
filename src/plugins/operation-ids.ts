/**
 * OpenAPI operationIds for every route, so client generators name methods the same on every run:
 * derived from the method and path (`GET /api/v1/tag-groups` → `listTagGroups`), with a few
 * declared names where the derivation reads badly, and one scheme for the WeCom surface.
 */

/** Names declared by hand, by `METHOD /path` as the document writes it; everything else is derived. */
export const declaredOperationIds: Record<string, string> = {
  'POST /api/v1/auth/login': 'login',
  'POST /api/v1/auth/logout': 'logout',
  'POST /api/v1/auth/password': 'changeOwnPassword',
  'GET /api/v1/auth/me': 'getMe',
  'GET /api/v1/settings': 'getSettings',
  'GET /api/v1/audit': 'listAuditEvents',
  'GET /api/v1/audit/export': 'exportAuditEvents',
  'POST /api/v1/employees/{userid}/password': 'setEmployeePassword',
  'POST /api/v1/customers/{externalUserid}/follows/{userid}/tags': 'changeFollowTags',
  'POST /api/v1/customer-events': 'recordCustomerEvents',
  'POST /api/v1/group-chats/{chatId}/members': 'recordGroupChatJoin',
  'DELETE /api/v1/group-chats/{chatId}/members/{memberId}': 'recordGroupChatLeave',
  'POST /api/v1/operations/batch': 'createBatchOperation',
  'GET /api/v1/operations/{operationId}/progress': 'streamOperationProgress',
  'POST /api/v1/imports': 'importCustomers',
  'POST /api/v1/moments/{momentId}/interactions': 'recordMomentInteractions',
  'GET /api/v1/moments/suppressions': 'listMomentSuppressions',
  'DELETE /api/v1/moments/suppressions/{groupId}/{externalUserid}': 'liftMomentSuppression',
  'POST /api/v1/connector/push/replay': 'replayDeadConnectorPush',
  'POST /api/v1/connector/push/{itemId}/replay': 'replayConnectorPushItem',
  'POST /hooks/{sourceId}': 'receiveWebhook',
  'GET /healthz': 'getHealth',
  'GET /readyz': 'getReadiness',
};

const pascal = (segment: string) =>
  segment
    .split(/[-_]/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
const isParam = (segment: string) => segment.startsWith('{') || segment.startsWith(':');

/** `TagGroups` → `TagGroup`, `Audiences` → `Audience`, `Categories` → `Category`. */
function singular(word: string): string {
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ses')) return word.slice(0, -2);
  return word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

const itemVerbs: Record<string, string> = { GET: 'get', PATCH: 'update', PUT: 'replace', DELETE: 'delete', POST: 'post' };

/**
 * The operationId of a route. Native routes: `list`/`create` on a collection, `get`/`update`/`delete`
 * on an item, and an action after a resource reads as verb + resource (`POST /tag-groups/{id}/restore`
 * → `restoreTagGroup`, `POST /audiences/count` → `countAudiences`); a sub-collection is listed or
 * added to (`addSmartGroupTags`). WeCom routes: `wecom` + the path after `/cgi-bin`.
 * @example deriveOperationId('PATCH', '/api/v1/tag-groups/{groupId}') // → 'updateTagGroup'
 */
export function deriveOperationId(method: string, path: string): string {
  const declared = declaredOperationIds[`${method} ${path}`];
  if (declared) return declared;
  if (path.startsWith('/cgi-bin/')) return `wecom${path.slice('/cgi-bin/'.length).split('/').map(pascal).join('')}`;
  const segments = path
    .replace(/^\/api\/v\d+\//, '')
    .split('/')
    .filter(Boolean);
  const words: string[] = [];
  for (const segment of segments) {
    if (isParam(segment)) words[words.length - 1] = singular(words[words.length - 1] ?? '');
    else words.push(pascal(segment));
  }
  const last = segments[segments.length - 1] ?? '';
  if (isParam(last)) return `${itemVerbs[method] ?? method.toLowerCase()}${words.join('')}`;
  const afterParam = segments.length > 1 && isParam(segments[segments.length - 2]!);
  if (segments.length === 1 || (afterParam && last.endsWith('s'))) {
    // A collection, top level or under an item (`/smart-groups/{groupId}/tags`).
    if (method === 'GET') return `list${words.join('')}`;
    if (method === 'POST') return `${segments.length === 1 ? 'create' : 'add'}${segments.length === 1 ? singular(words.join('')) : words.join('')}`;
    return `${itemVerbs[method] ?? method.toLowerCase()}${words.join('')}`;
  }
  // An action on a resource: the last segment is the verb.
  const verb = last
    .split(/[-_]/)
    .map((w, i) => (i === 0 ? w : pascal(w)))
    .join('');
  return `${verb}${words.slice(0, -1).join('')}`;
}

type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  requestBody?: unknown;
  deprecated?: boolean;
  responses?: Record<string, unknown>;
};

const methods = ['get', 'put', 'post', 'patch', 'delete', 'options', 'head'];

/**
 * Gives every operation of a generated document its operationId (a route may declare its own in
 * its schema). WeCom's POST endpoints also answer GET (with 40058), as one route with two methods
 * that share one operation object; the GET gets its own copy, marked deprecated, so both ids are
 * unique. Every operation that takes a body also lists the 413 its body limit can answer.
 */
export function addOperationIds<D extends { paths?: object }>(document: D): D {
  const paths = (document.paths ?? {}) as Record<string, Record<string, Operation | undefined>>;
  for (const [path, item] of Object.entries(paths)) {
    const getIsCompatibilityCopy = item.get !== undefined && item.get === item.post;
    if (item.get && item.post && getIsCompatibilityCopy) {
      item.get = {
        ...item.post,
        operationId: undefined,
        requestBody: undefined,
        deprecated: true,
        summary: `${item.post.summary ?? path} (GET: refused)`,
        description: 'WeCom answers a GET on this POST endpoint with errcode 40058 (after the token check); the server does the same.',
      };
    }
    for (const method of methods) {
      const operation = item[method];
      if (!operation) continue;
      const id = operation.operationId ?? deriveOperationId(method.toUpperCase(), path);
      item[method] = { ...operation, operationId: method === 'get' && getIsCompatibilityCopy ? `${id}ViaGet` : id };
      const responses = item[method]!.responses;
      if (operation.requestBody && responses?.['400'] && !responses['413']) {
        responses['413'] = { ...(responses['400'] as object), description: 'The body is larger than the route takes (4 MB; 50 MB for imports).' };
      }
    }
  }
  return document;
}
