import { describe, expect, it } from 'vitest';
import { DatabaseHealth, type DatabaseState, isConnectionLost } from './health.js';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });
// Drizzle wraps the driver's error as the cause of its own.
const wrapped = (cause: unknown) => new Error('Failed query: select 1', { cause });

describe('isConnectionLost', () => {
  it('knows a dropped or refused connection, wrapped or not, from a statement that failed', () => {
    expect(isConnectionLost(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionLost(wrapped(new Error('Client has encountered a connection error and is not queryable')))).toBe(true);
    expect(isConnectionLost(wrapped(pgError('57P01', 'terminating connection due to administrator command')))).toBe(true);
    expect(isConnectionLost(pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'))).toBe(true);
    expect(isConnectionLost(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isConnectionLost(pgError('55000', 'database "x" is not currently accepting connections'))).toBe(true);
    expect(isConnectionLost(wrapped(pgError('23505', 'duplicate key value violates unique constraint')))).toBe(false);
    expect(isConnectionLost(new Error('The tag does not exist'))).toBe(false);
    expect(isConnectionLost(undefined)).toBe(false);
  });
});

describe('DatabaseHealth', () => {
  it('reports an outage once when it starts and once when it ends, however many failures it sees', () => {
    const health = new DatabaseHealth();
    const changes: DatabaseState[] = [];
    health.onChange((state) => changes.push(state));
    expect(health.noteFailure(pgError('23505', 'duplicate key'))).toBe(false);
    for (let i = 0; i < 5; i++) expect(health.noteFailure(new Error('Connection terminated unexpectedly'))).toBe(true);
    health.noteConnected();
    health.noteConnected();
    expect(changes).toEqual([{ up: false, reason: 'Connection terminated unexpectedly' }, { up: true }]);
  });

  it('answers from one ping shared by concurrent probes, and says down when the ping fails or does not answer', async () => {
    let pings = 0;
    let answer: () => Promise<unknown> = async () => undefined;
    const health = new DatabaseHealth(
      () => {
        pings += 1;
        return answer();
      },
      { cacheMs: 0, timeoutMs: 50 },
    );
    expect(await Promise.all([health.check(), health.check(), health.check()])).toEqual([{ up: true }, { up: true }, { up: true }]);
    expect(pings).toBe(1);
    answer = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    };
    expect(await health.check()).toEqual({ up: false, reason: 'connect ECONNREFUSED 127.0.0.1:5432' });
    answer = () => new Promise(() => {});
    expect(await health.check()).toEqual({ up: false, reason: 'the database did not answer within 50 ms' });
    answer = async () => undefined;
    expect(await health.check()).toEqual({ up: true });
  });

  it('counts a database without a ping (PGlite, in this process) as up', async () => {
    expect(await new DatabaseHealth().check()).toEqual({ up: true });
  });
});
