import { describe, expect, it } from 'vitest';
import { likePrefix, looksLikeInitials, nameInitials } from './name-initials.js';

describe('pinyin initials of names', () => {
  it('reads Chinese names by their first letters and keeps other letters and digits, folded', () => {
    expect(nameInitials('张三')).toBe('zs');
    expect(nameInitials('林桂婷')).toBe('lgt');
    expect(nameInitials('绿茶 VIP-2号')).toBe('lcvip2h');
    expect(nameInitials('ＶＩＰ客户')).toBe('vipkh');
    expect(nameInitials('')).toBe('');
  });

  it('treats only ASCII letters as possible initials and escapes LIKE wildcards', () => {
    expect(looksLikeInitials('Zs')).toBe(true);
    expect(looksLikeInitials('z_')).toBe(false);
    expect(looksLikeInitials('张')).toBe(false);
    expect(likePrefix('a%b_c\\')).toBe('a\\%b\\_c\\\\%');
  });
});
