import { TagsOutlined, TeamOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { MeDto } from '../api/session.js';

/** A console page as the menu and the quick jump list it: where, its title key, and who sees it. */
export type PageEntry = { path: string; titleKey: string; icon: ReactNode; visible: (me: MeDto) => boolean };

/**
 * Every page of the console, once: the side menu and the ⌘K quick jump both read this list, and
 * `visible` is decided by the server's abilities, never by role names.
 */
export const pages: PageEntry[] = [
  { path: '/tags', titleKey: 'nav.tags', icon: <TagsOutlined />, visible: (me) => me.abilities['customer.view'] === true },
  { path: '/customers', titleKey: 'nav.customers', icon: <TeamOutlined />, visible: (me) => me.abilities['customer.view'] === true },
];
