import i18next, { type BackendModule, type ResourceKey } from 'i18next';
import { initReactI18next } from 'react-i18next';
import enCommon from './en-US/common.json';
import zhCommon from './zh-CN/common.json';
import zhErrors from './zh-CN/errors.json';

// Every other namespace (a page's strings) is its own small chunk per language, fetched with the
// first component that asks for it (react-i18next suspends until then): the first load carries
// the shell's strings and the page's, in the language shown, instead of every page in both.
const namespaceFiles = import.meta.glob<{ default: ResourceKey }>(['./*/*.json', '!./*/common.json', '!./zh-CN/errors.json']);

const namespacesOnDemand: BackendModule = {
  type: 'backend',
  init: () => {},
  read(language, namespace, done) {
    const load = namespaceFiles[`./${language}/${namespace}.json`];
    // A namespace one language does not have (English `errors`: the server already speaks it) is empty.
    if (!load) return done(null, {});
    load().then(
      (module) => done(null, module.default),
      (error: unknown) => done(error instanceof Error ? error : new Error(String(error)), null),
    );
  },
};

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
 * (`common`, `login`, `tags`, `sidebar`…), so each page's strings live in one file per language
 * and load with the page.
 */
export function initI18n(): typeof i18next {
  const language = rememberedLanguage();
  document.documentElement.lang = language;
  void i18next
    .use(namespacesOnDemand)
    .use(initReactI18next)
    .init({
      lng: language,
      fallbackLng: 'zh-CN',
      defaultNS: 'common',
      // The shell's strings are bundled; the rest come from `namespacesOnDemand`.
      partialBundledLanguages: true,
      ns: ['common'],
      resources: { 'zh-CN': { common: zhCommon, errors: zhErrors }, 'en-US': { common: enCommon } },
      interpolation: { escapeValue: false },
    });
  return i18next;
}
