import { describe, expect, it } from 'vitest';
import { addOperationIds, deriveOperationId } from './operation-ids.js';

describe('deriveOperationId', () => {
  it.each([
    ['GET', '/api/v1/tag-groups', 'listTagGroups'],
    ['POST', '/api/v1/tag-groups', 'createTagGroup'],
    ['GET', '/api/v1/tag-groups/{groupId}', 'getTagGroup'],
    ['PATCH', '/api/v1/tag-groups/{groupId}', 'updateTagGroup'],
    ['DELETE', '/api/v1/tag-groups/{groupId}', 'deleteTagGroup'],
    ['POST', '/api/v1/tag-groups/{groupId}/restore', 'restoreTagGroup'],
    ['POST', '/api/v1/tag-groups/{groupId}/tags', 'addTagGroupTags'],
    ['POST', '/api/v1/tags/delete', 'deleteTags'],
    ['POST', '/api/v1/audiences/count', 'countAudiences'],
    ['PATCH', '/api/v1/smart-groups/{groupId}/tags/{tagId}', 'updateSmartGroupTag'],
    ['GET', '/api/v1/categories', 'listCategories'],
    ['POST', '/api/v1/categories', 'createCategory'],
    ['POST', '/api/v1/auth/login', 'login'],
    ['POST', '/cgi-bin/externalcontact/get_corp_tag_list', 'wecomExternalcontactGetCorpTagList'],
    ['GET', '/cgi-bin/gettoken', 'wecomGettoken'],
  ])('%s %s → %s', (method, path, id) => {
    expect(deriveOperationId(method, path)).toBe(id);
  });
});

describe('addOperationIds', () => {
  it("keeps a declared id, splits a POST endpoint's GET twin into its own deprecated operation, and lists 413 where a body is taken", () => {
    const shared = { summary: 'Mark tags', requestBody: { content: {} }, responses: { 200: {} } };
    const doc = addOperationIds({
      paths: {
        '/cgi-bin/externalcontact/mark_tag': { get: shared, post: shared },
        '/api/v1/tags/{tagId}': { patch: { operationId: 'renameTag', requestBody: {}, responses: { 400: { description: 'bad' } } } },
      },
    });
    const wecom = doc.paths['/cgi-bin/externalcontact/mark_tag'];
    expect(wecom.post).toMatchObject({ operationId: 'wecomExternalcontactMarkTag', requestBody: { content: {} } });
    expect(wecom.get).toMatchObject({ operationId: 'wecomExternalcontactMarkTagViaGet', deprecated: true, requestBody: undefined });
    const patch = doc.paths['/api/v1/tags/{tagId}'].patch as { operationId: string; responses: Record<string, unknown> };
    expect(patch.operationId).toBe('renameTag');
    expect(Object.keys(patch.responses)).toEqual(['400', '413']);
  });
});
