import { useMemo } from 'react';
import { useDepartments } from '../../api/admin.js';
import { useGroupChats } from '../../api/group-chats.js';
import { useTagGroups } from '../../api/tags.js';
import type { BuilderChoices } from './condition-editor.js';

/** What the condition builder offers to pick from: the tag library, the departments and the group chats the user may see. */
export function useBuilderChoices(): BuilderChoices {
  const library = useTagGroups();
  const departments = useDepartments();
  const chats = useGroupChats();
  return useMemo(
    () => ({ groups: library.data ?? [], departments: departments.data ?? [], chats: chats.data ?? [] }),
    [library.data, departments.data, chats.data],
  );
}
