import { describe, expect, it } from 'vitest';
import { qrFileName, qrTarget } from '../../components/qr-target.js';
import { fromShanghai, toShanghai, windowState } from './campaign-window.js';

describe('campaign window in Asia/Shanghai', () => {
  it.each([
    ['2026-03-01T01:30:00.000Z', '2026-03-01 09:30'],
    ['2026-02-28T16:00:00.000Z', '2026-03-01 00:00'],
    ['2026-12-31T23:59:00.000Z', '2027-01-01 07:59'],
  ])('%s reads as %s in Shanghai and back', (iso, wall) => {
    expect(toShanghai(iso)).toBe(wall);
    expect(fromShanghai(wall)).toBe(iso);
  });

  it('refuses text that is not a wall-clock time', () => {
    expect(fromShanghai('2026-3-1 9:30')).toBeUndefined();
    expect(fromShanghai('')).toBeUndefined();
  });

  it('says where a window stands; the end is exclusive', () => {
    const now = new Date('2026-03-01T00:00:00.000Z');
    expect(windowState(null, null, now)).toBe('always');
    expect(windowState('2026-03-02T00:00:00.000Z', null, now)).toBe('upcoming');
    expect(windowState('2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', now)).toBe('ended');
    expect(windowState(null, '2026-03-01T00:00:01.000Z', now)).toBe('open');
  });
});

describe('what a QR code encodes', () => {
  it('keeps absolute links and makes relative ones absolute on this origin', () => {
    expect(qrTarget('/c/cw1', 'https://t.example')).toBe('https://t.example/c/cw1');
    expect(qrTarget('tagloom://join-way/jw1', 'https://t.example')).toBe('tagloom://join-way/jw1');
    expect(qrTarget('https://wx.work/x', 'http://127.0.0.1:3000')).toBe('https://wx.work/x');
    expect(qrTarget('', 'https://t.example')).toBe('');
  });

  it('names the PNG after the remark without characters a file system refuses', () => {
    expect(qrFileName('春季 活动/门店', 'cw1')).toBe('春季_活动_门店.png');
    expect(qrFileName('  ', 'cw1')).toBe('cw1.png');
  });
});
