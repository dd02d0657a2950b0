import { useCallback, useRef, useState } from 'react';

export interface Selection {
  /** the selection as of the last key, read by key handlers */
  ref: { current: number };
  /** the selection as of the last render */
  selected: number;
  set(next: (current: number) => number): void;
}

/**
 * A table's selected row, kept in a ref as well as in state: keys typed faster than React
 * renders must see the selection the previous key left.
 */
export function useSelection(): Selection {
  const ref = useRef(0);
  const [selected, setSelected] = useState(0);
  // stable, so callbacks made once (a list reload) can use it
  const set = useCallback((next: (current: number) => number) => {
    ref.current = next(ref.current);
    setSelected(ref.current);
  }, []);
  return { ref, selected, set };
}
