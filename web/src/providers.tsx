import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api/client.js';
import { usePrefersReducedMotion } from './reduced-motion.js';

const queryClient = new QueryClient({
  defaultOptions: {
    // A refusal (4xx) will not change by asking again; a network blip might.
    queries: { retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2, refetchOnWindowFocus: false },
  },
});

/**
 * Brand colour and the enterprise / personal tag colours the legend explains. The blue is antd's
 * blue-7, not its default blue-6: white on it, and it on white, reach WCAG AA's 4.5:1.
 */
export const theme = { colorPrimary: '#0958d9', enterpriseTag: 'blue', personalTag: 'green' } as const;

// antd's defaults that fall short of WCAG AA's 4.5:1 on white (the accessibility e2e checks them):
// secondary text and placeholders (0.45 and 0.25 black), the info blue of "processing" tags and
// the text of green tags (personal tags; green-8 instead of green-7), and the success green of
// status tags (已完成, 已发送: #52c41a on its pale fill is 2.2:1; green-8 reaches AA; the fill and
// border stay antd's, which it would otherwise derive from the darker seed).
const contrastTokens = {
  colorTextDescription: 'rgba(0, 0, 0, 0.62)',
  colorTextPlaceholder: 'rgba(0, 0, 0, 0.56)',
  colorInfo: theme.colorPrimary,
  colorSuccess: '#237804',
  colorSuccessBg: '#f6ffed',
  colorSuccessBorder: '#b7eb8f',
  green7: '#237804',
  'green-7': '#237804',
};

/**
 * What both the console and the sidebar stand on: TanStack Query, antd in the chosen language
 * (its own zh_CN / en_US locale for dates, pagination and the like, and no motion for those who
 * asked their system for less) and antd's message context.
 */
export function Providers({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const still = usePrefersReducedMotion();
  return (
    <QueryClientProvider client={queryClient}>
      <ConfigProvider
        locale={i18n.language === 'en-US' ? enUS : zhCN}
        theme={{ token: { colorPrimary: theme.colorPrimary, ...contrastTokens, motion: !still } }}
      >
        <AntApp>{children}</AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
