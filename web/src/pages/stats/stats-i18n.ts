import i18next from 'i18next';
import en from '../../i18n/en-US/stats.json';
import zh from '../../i18n/zh-CN/stats.json';

// The page's strings travel in its own chunk, so the other pages' first load does not carry them;
// only the menu label (`nav.stats`) lives in `common`.
i18next.addResourceBundle('zh-CN', 'stats', zh, true, true);
i18next.addResourceBundle('en-US', 'stats', en, true, true);

/** The i18next namespace of the 数据统计 page, registered when this module loads. */
export const statsNamespace = 'stats';
