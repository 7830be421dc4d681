import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import enCommon from './en-US/common.json';
import enCustomers from './en-US/customers.json';
import enLogin from './en-US/login.json';
import enPermissions from './en-US/permissions.json';
import enRules from './en-US/rules.json';
import enSidebar from './en-US/sidebar.json';
import enSmart from './en-US/smart.json';
import enStarters from './en-US/starters.json';
import enTags from './en-US/tags.json';
import enTransfer from './en-US/transfer.json';
import enOperations from './en-US/operations.json';
import enAudit from './en-US/audit.json';
import enAudiences from './en-US/audiences.json';
import enSettings from './en-US/settings.json';
import zhCommon from './zh-CN/common.json';
import zhCustomers from './zh-CN/customers.json';
import zhLogin from './zh-CN/login.json';
import zhPermissions from './zh-CN/permissions.json';
import zhRules from './zh-CN/rules.json';
import zhSidebar from './zh-CN/sidebar.json';
import zhSmart from './zh-CN/smart.json';
import zhStarters from './zh-CN/starters.json';
import zhTags from './zh-CN/tags.json';
import zhTransfer from './zh-CN/transfer.json';
import zhErrors from './zh-CN/errors.json';
import zhOperations from './zh-CN/operations.json';
import zhAudit from './zh-CN/audit.json';
import zhAudiences from './zh-CN/audiences.json';
import zhSettings from './zh-CN/settings.json';

/** The console's languages: Chinese by default, English by a switch. */
export const languages = ['zh-CN', 'en-US'] as const;
/** One of the console's languages. */
export type Language = (typeof languages)[number];

const storageKey = 'tagloom.language';

/** The language the user chose last time on this browser, else Chinese. */
export function rememberedLanguage(): Language {
  const stored = globalThis.localStorage?.getItem(storageKey);
  return languages.includes(stored as Language) ? (stored as Language) : 'zh-CN';
}

/** Switches the language and remembers it for the next visit. */
export async function switchLanguage(language: Language): Promise<void> {
  globalThis.localStorage?.setItem(storageKey, language);
  document.documentElement.lang = language;
  await i18next.changeLanguage(language);
}

/**
 * Starts i18next with every visible string of the console by key, one namespace per area
 * (`common`, `login`, `tags`, `sidebar`), so each page's strings live in one file per language.
 */
export function initI18n(): typeof i18next {
  const language = rememberedLanguage();
  document.documentElement.lang = language;
  void i18next.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'zh-CN',
    defaultNS: 'common',
    resources: {
      'zh-CN': {
        common: zhCommon,
        login: zhLogin,
        tags: zhTags,
        customers: zhCustomers,
        sidebar: zhSidebar,
        permissions: zhPermissions,
        starters: zhStarters,
        transfer: zhTransfer,
        operations: zhOperations,
        audit: zhAudit,
        smart: zhSmart,
        rules: zhRules,
        errors: zhErrors,
        audiences: zhAudiences,
        settings: zhSettings,
      },
      'en-US': {
        common: enCommon,
        login: enLogin,
        tags: enTags,
        customers: enCustomers,
        sidebar: enSidebar,
        permissions: enPermissions,
        starters: enStarters,
        transfer: enTransfer,
        operations: enOperations,
        audit: enAudit,
        smart: enSmart,
        rules: enRules,
        audiences: enAudiences,
        settings: enSettings,
      },
    },
    interpolation: { escapeValue: false },
  });
  return i18next;
}
