import { createRoot } from 'react-dom/client';
import { initI18n } from '../i18n/index.js';
import { SidebarApp } from './sidebar-app.js';

initI18n();
createRoot(document.getElementById('root')!).render(<SidebarApp />);
