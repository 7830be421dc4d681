import { useEffect, useState } from 'react';

/**
 * The value after it has stopped changing for `ms`: a search asks the server once the typing
 * pauses, not on every keystroke.
 */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
