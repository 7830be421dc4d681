import { Input, type InputProps, type InputRef } from 'antd';
import { forwardRef } from 'react';
import { nameLength, normalizeName } from '../../../src/names/name-policy.js';
import { firstCharacters } from './graphemes.js';

/**
 * A name field with a live counter against the corp's limit, counting exactly as the server does
 * (normalized, in characters a person sees: 🇨🇳 is one), which stops taking characters at the limit.
 */
export const NameInput = forwardRef<InputRef, InputProps & { max: number }>(function NameInput({ max, ...props }, ref) {
  return (
    <Input
      ref={ref}
      {...props}
      count={{
        show: true,
        max,
        strategy: (text) => nameLength(normalizeName(text)),
        exceedFormatter: (text, { max: limit }) => firstCharacters(text, limit),
      }}
    />
  );
});
