import { describe, expect, it } from 'vitest';
import { minPasswordLength } from '../../../../contracts/auth.js';
import { allPermissions, permissions } from '../../../../src/policies/registry.js';
import { permissionProblems } from '../../../../src/policies/role-grants.js';
import en from '../../i18n/en-US/permissions.json';
import enStarters from '../../i18n/en-US/starters.json';
import zh from '../../i18n/zh-CN/permissions.json';
import zhStarters from '../../i18n/zh-CN/starters.json';
import { areaOf, groupByArea, togglePermission } from './matrix-logic.js';
import { matchesMember } from './members-tab.js';
import { subtreeIds, toDeptTree } from './org-tree.js';

const registry = allPermissions.map((permission) => ({
  permission,
  description: permissions[permission].description,
  dependsOn: [...permissions[permission].dependsOn],
}));

describe('permission matrix', () => {
  it('labels every permission of the server’s registry in Chinese and English, and places it in an area', () => {
    for (const p of allPermissions) {
      expect(zh.perm, p).toHaveProperty([p]);
      expect(en.perm, p).toHaveProperty([p]);
      expect(areaOf(p), p).not.toBe('other');
    }
  });

  it('groups rows by area in matrix order, every permission once, and shows an unknown one under other', () => {
    const grouped = groupByArea([...registry, { permission: 'future.thing', description: '', dependsOn: [] }]);
    expect(grouped.map((g) => g.area)).toEqual(['tags', 'customers', 'rules', 'admin', 'other']);
    expect(grouped.flatMap((g) => g.permissions).length).toBe(registry.length + 1);
    expect(grouped[0]!.permissions.map((p) => p.permission)).toContain('tagGroup.create');
  });

  it('ticking a box adds what it depends on, unticking removes what depends on it: the server accepts the result', () => {
    const granted = togglePermission(registry, [], 'tagGroup.create', true);
    expect(granted).toEqual(['tagGroup.create', 'customer.view']);
    expect(permissionProblems(granted, 'p')).toEqual([]);
    const staff = ['customer.view', 'customer.update', 'tag.apply', 'tag.remove', 'personalTag.manage'];
    expect(togglePermission(registry, staff, 'customer.view', false)).toEqual([]);
    expect(togglePermission(registry, staff, 'tag.apply', false)).toEqual(['tag.remove', 'personalTag.manage', 'customer.view', 'customer.update']);
    expect(permissionProblems(togglePermission(registry, ['role.manage'], 'audience.manage', true), 'p')).toEqual([]);
  });
});

/** Every key path of a nested translation object, e.g. `roles.saved`. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value)
    .flatMap(([k, v]) => keyPaths(v, prefix ? `${prefix}.${k}` : k))
    .sort();
}

describe('translations', () => {
  it('the 权限配置 and starter-template namespaces have the same keys in Chinese and English', () => {
    expect(keyPaths(en)).toEqual(keyPaths(zh));
    expect(keyPaths(enStarters)).toEqual(keyPaths(zhStarters));
  });
});

describe('password reset help', () => {
  it('states the server’s minimum password length in both languages (kept in step with contracts/auth.ts)', () => {
    expect(zh.members.passwordHelp).toContain(`至少 ${minPasswordLength} 个字符`);
    expect(en.members.passwordHelp).toContain(`At least ${minPasswordLength} characters`);
  });
});

describe('department tree and member search', () => {
  const depts = [
    { deptId: 1, name: '总部', parentId: 0 },
    { deptId: 2, name: '华东', parentId: 1 },
    { deptId: 3, name: '上海店', parentId: 2 },
    { deptId: 4, name: '华南', parentId: 1 },
  ];

  it('nests the depth-first list, and a department whose parent is out of reach becomes a root', () => {
    const tree = toDeptTree(depts);
    expect(tree.map((n) => n.title)).toEqual(['总部']);
    expect(tree[0]!.children.map((n) => n.title)).toEqual(['华东', '华南']);
    expect(toDeptTree(depts.slice(1)).map((n) => n.title)).toEqual(['华东', '华南']);
  });

  it('a department cannot be moved into itself or below itself', () => {
    expect([...subtreeIds(depts, 2)].sort()).toEqual([2, 3]);
    const tree = toDeptTree(depts, subtreeIds(depts, 2));
    expect(tree[0]!.disabled).toBeUndefined();
    expect(tree[0]!.children[0]!.disabled).toBe(true);
    expect(tree[0]!.children[0]!.children[0]!.disabled).toBe(true);
  });

  it('finds members by name or userid, ignoring case and surrounding spaces', () => {
    const e = { userid: 'ZhangWei', name: '张伟' };
    expect(matchesMember(e, ' zhang ')).toBe(true);
    expect(matchesMember(e, '张')).toBe(true);
    expect(matchesMember(e, '李')).toBe(false);
    expect(matchesMember(e, '')).toBe(true);
  });
});
