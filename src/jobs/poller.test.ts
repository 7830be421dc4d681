import { describe, expect, it } from 'vitest';
import { Poller } from './poller.js';

describe('Poller', () => {
  it('never runs two passes at once: a tick during a pass joins it', async () => {
    let passes = 0;
    let release!: () => void;
    const poller = new Poller(
      () => new Promise<number>((resolve) => (release = () => resolve(++passes))),
      () => -1,
      { everyMs: 60_000, run: false, failure: 'x' },
    );
    const first = poller.tick();
    const second = poller.tick();
    release();
    expect(await first).toBe(1);
    expect(await second).toBe(1);
    const third = poller.tick();
    release();
    expect(await third).toBe(2);
  });

  it('stop waits for the pass in flight, and ticks after it do nothing', async () => {
    let finished = false;
    let release!: () => void;
    const poller = new Poller(
      () =>
        new Promise<string>((resolve) => {
          release = () => {
            finished = true;
            resolve('done');
          };
        }),
      () => 'idle',
      { everyMs: 60_000, run: false, failure: 'x' },
    );
    void poller.tick();
    const stopped = poller.stop().then(() => finished);
    release();
    expect(await stopped).toBe(true);
    expect(await poller.tick()).toBe('idle');
  });

  it('logs a failed pass with its message and keeps polling', async () => {
    const logged: string[] = [];
    let calls = 0;
    const poller = new Poller(
      async () => {
        calls++;
        if (calls === 1) throw new Error('boom');
        return calls;
      },
      () => 0,
      { everyMs: 5, log: (_e, m) => logged.push(m), failure: 'sending failed' },
    );
    poller.start();
    while (calls < 3) await new Promise((r) => setTimeout(r, 5));
    await poller.stop();
    expect(logged).toEqual(['sending failed']);
  });
});
