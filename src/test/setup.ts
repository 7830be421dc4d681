import { setTestPasswordCost } from '../modules/auth/passwords.js';

// Runs before every test file (vitest `setupFiles`). Console passwords are hashed at a test cost:
// production scrypt takes ~60 ms a hash and the suite hashes hundreds (src/modules/auth/passwords.test.ts
// checks the production parameters).
setTestPasswordCost(true);
