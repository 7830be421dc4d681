import { Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { initI18n } from '../i18n/index.js';
import { SidebarApp } from './sidebar-app.js';

initI18n();
// A page's strings arrive with it (see i18n/index.ts): until then the root shows nothing rather than keys.
createRoot(document.getElementById('root')!).render(
  <Suspense fallback={null}>
    <SidebarApp />
  </Suspense>,
);
