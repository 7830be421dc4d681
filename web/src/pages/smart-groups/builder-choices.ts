import { useMemo } from 'react';
import { useDepartments } from '../../api/admin.js';
import { useTagGroups } from '../../api/tags.js';
import type { BuilderChoices } from './condition-editor.js';

/** What the condition builder offers to pick from: the tag library and the departments the user may see. */
export function useBuilderChoices(): BuilderChoices {
  const library = useTagGroups();
  const departments = useDepartments();
  return useMemo(() => ({ groups: library.data ?? [], departments: departments.data ?? [] }), [library.data, departments.data]);
}
