/** The demo corp's corpid (synthetic data, created on an empty database). */
export const demoCorpId = 'ww-demo';

/**
 * One console login per built-in role of the demo corp, documented in the README and offered by
 * the console's login page for that corp (demo data only, never for real corps).
 */
export const demoConsoleUsers = [
  { role: 'admin', username: 'd12u1', password: 'demo-admin-2026' },
  { role: 'manager', username: 'd2u1', password: 'demo-manager-2026' },
  { role: 'staff', username: 'd3u1', password: 'demo-staff-2026' },
  { role: 'readonly', username: 'd13u2', password: 'demo-readonly-2026' },
] as const;
