import {
  ApartmentOutlined,
  ApiOutlined,
  AuditOutlined,
  BarChartOutlined,
  CloudSyncOutlined,
  CommentOutlined,
  FilterOutlined,
  HistoryOutlined,
  PictureOutlined,
  QrcodeOutlined,
  SafetyCertificateOutlined,
  SendOutlined,
  SettingOutlined,
  SwapOutlined,
  TagsOutlined,
  TeamOutlined,
  ThunderboltOutlined,
  UsergroupAddOutlined,
} from '@ant-design/icons';
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
  { path: '/audiences', titleKey: 'nav.audiences', icon: <UsergroupAddOutlined />, visible: (me) => me.abilities['customer.view'] === true },
  { path: '/stats', titleKey: 'nav.stats', icon: <BarChartOutlined />, visible: (me) => me.abilities['customer.view'] === true },
  { path: '/smart-groups', titleKey: 'nav.smartGroups', icon: <FilterOutlined />, visible: (me) => me.abilities['customer.view'] === true },
  { path: '/rules', titleKey: 'nav.tagRules', icon: <ThunderboltOutlined />, visible: (me) => me.abilities['rule.manage'] === true },
  { path: '/moments', titleKey: 'nav.moments', icon: <PictureOutlined />, visible: (me) => me.abilities['moment.publish'] === true },
  { path: '/contact-ways', titleKey: 'nav.contactWays', icon: <QrcodeOutlined />, visible: (me) => me.abilities['customer.view'] === true },
  { path: '/group-chats', titleKey: 'nav.groupChats', icon: <CommentOutlined />, visible: (me) => me.abilities['customer.view'] === true },
  { path: '/webhook-sources', titleKey: 'nav.webhookSources', icon: <ApiOutlined />, visible: (me) => me.abilities['rule.manage'] === true },
  { path: '/rule-groups', titleKey: 'nav.ruleGroups', icon: <ApartmentOutlined />, visible: (me) => me.abilities['strategy.manage'] === true },
  {
    path: '/import-export',
    titleKey: 'nav.importExport',
    icon: <SwapOutlined />,
    visible: (me) => me.abilities['customer.update'] === true || me.abilities['customer.export'] === true,
  },
  // Everyone has operations of their own to follow and undo; the server lists only those they may see.
  { path: '/operations', titleKey: 'nav.operations', icon: <HistoryOutlined />, visible: () => true },
  { path: '/audit', titleKey: 'nav.audit', icon: <AuditOutlined />, visible: (me) => me.abilities['audit.view'] === true },
  {
    path: '/permissions',
    titleKey: 'nav.permissions',
    icon: <SafetyCertificateOutlined />,
    visible: (me) => me.abilities['role.manage'] === true || me.abilities['org.manage'] === true,
  },
  // Anyone may read the limits (the page shows them read-only), but only those who may change them get the entry.
  { path: '/settings', titleKey: 'nav.settings', icon: <SettingOutlined />, visible: (me) => me.abilities['corp.settings'] === true },
  { path: '/connector', titleKey: 'nav.connector', icon: <CloudSyncOutlined />, visible: (me) => me.abilities['corp.settings'] === true },
  {
    path: '/webhook-subscriptions',
    titleKey: 'nav.webhookSubscriptions',
    icon: <SendOutlined />,
    visible: (me) => me.abilities['corp.settings'] === true,
  },
];
