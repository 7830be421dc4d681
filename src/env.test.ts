import { describe, expect, it } from 'vitest';
import { readEnv } from './env.js';

describe('readEnv', () => {
  it('defaults to port 3000 and PGlite in ./data', () => {
    const env = readEnv({});
    expect(env).toMatchObject({ PORT: 3000, TAGLOOM_DATA_DIR: './data', LOG_LEVEL: 'info' });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('reads the documented variables and treats empty ones as unset', () => {
    const env = readEnv({
      PORT: '8080',
      DATABASE_URL: 'postgres://u@h:5432/db',
      TAGLOOM_DATA_DIR: '/var/tagloom',
      TAGLOOM_DEMO_SECRET: 'demo-secret-1',
      HOST: '',
    });
    expect(env).toMatchObject({
      PORT: 8080,
      DATABASE_URL: 'postgres://u@h:5432/db',
      TAGLOOM_DATA_DIR: '/var/tagloom',
      TAGLOOM_DEMO_SECRET: 'demo-secret-1',
      HOST: '127.0.0.1',
    });
  });

  it('reads TAGLOOM_TRUST_PROXY as off, on, a hop count or a list of proxies', () => {
    expect(readEnv({}).TAGLOOM_TRUST_PROXY).toBe(false);
    expect(readEnv({ TAGLOOM_TRUST_PROXY: 'true' }).TAGLOOM_TRUST_PROXY).toBe(true);
    expect(readEnv({ TAGLOOM_TRUST_PROXY: '2' }).TAGLOOM_TRUST_PROXY).toBe(2);
    expect(readEnv({ TAGLOOM_TRUST_PROXY: '10.0.0.1,10.0.0.2' }).TAGLOOM_TRUST_PROXY).toBe('10.0.0.1,10.0.0.2');
  });

  it('refuses bad values with every problem listed', () => {
    expect(() => readEnv({ PORT: 'abc', DATABASE_URL: 'not a url' })).toThrow(/PORT[\s\S]*DATABASE_URL/);
  });

  it('accepts TAGLOOM_SECRET_KEY only as 32 bytes of hex or strict base64 (a typed passphrase is refused)', () => {
    const hex = 'ab'.repeat(32);
    expect(readEnv({ TAGLOOM_SECRET_KEY: hex }).TAGLOOM_SECRET_KEY).toBe(hex);
    expect(readEnv({ TAGLOOM_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') }).TAGLOOM_SECRET_KEY).toBeDefined();
    expect(() => readEnv({ TAGLOOM_SECRET_KEY: 'correct horse battery staple, my key; it is the secret!' })).toThrow(/TAGLOOM_SECRET_KEY/);
    expect(() => readEnv({ TAGLOOM_SECRET_KEY: 'ab'.repeat(31) })).toThrow(/TAGLOOM_SECRET_KEY/);
  });
});
