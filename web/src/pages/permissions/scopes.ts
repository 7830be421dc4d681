import type { DataScopeDto } from '../../api/admin.js';

/** The data scopes from narrowest to widest, as the select lists them (labels in i18n `scope.*`). */
export const dataScopes: readonly DataScopeDto[] = ['own', 'department', 'region', 'corp'];
