import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { initI18n } from './i18n/index.js';

initI18n();
createRoot(document.getElementById('root')!).render(<App />);
