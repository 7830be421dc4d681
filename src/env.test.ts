import { describe, expect, it } from 'vitest';
import { readEnv } from './env.js';

describe('readEnv', () => {
  it('defaults to port 3000 and PGlite in ./data', () => {
    const env = readEnv({});
    expect(env).toMatchObject({ PORT: 3000, TAGLOOM_DATA_DIR: './data', LOG_LEVEL: 'info' });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('reads the documented variables and treats empty ones as unset', () => {
    const env = readEnv({ PORT: '8080', DATABASE_URL: 'postgres://u@h:5432/db', TAGLOOM_DATA_DIR: '/var/tagloom', TAGLOOM_DEMO_SECRET: 'demo-secret-1', HOST: '' });
    expect(env).toMatchObject({ PORT: 8080, DATABASE_URL: 'postgres://u@h:5432/db', TAGLOOM_DATA_DIR: '/var/tagloom', TAGLOOM_DEMO_SECRET: 'demo-secret-1', HOST: '127.0.0.1' });
  });

  it('refuses bad values with every problem listed', () => {
    expect(() => readEnv({ PORT: 'abc', DATABASE_URL: 'not a url' })).toThrow(/PORT[\s\S]*DATABASE_URL/);
  });
});
