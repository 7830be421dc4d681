import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { type Language, switchLanguage } from '../i18n/index.js';

/** 中文 / English, remembered for the next visit. */
export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  return (
    <Segmented
      size="small"
      aria-label={t('language')}
      value={i18n.language}
      options={[
        { label: '中文', value: 'zh-CN' },
        { label: 'English', value: 'en-US' },
      ]}
      onChange={(value) => void switchLanguage(value as Language)}
    />
  );
}
