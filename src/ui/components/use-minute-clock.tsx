// A clock that ticks once a minute: uptimes are shown to the minute, so the list has no reason
// to re-render (and rewrite the terminal) every second just because time passed.
import { createContext, useContext, useEffect, useState } from 'react';

/** Tests pin the time with <NowContext.Provider value={() => T}>. */
export const NowContext = createContext<() => number>(() => Date.now());

export function useMinuteClock(): number {
  const now = useContext(NowContext);
  const [t, setT] = useState(() => floorMinute(now()));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const arm = () => {
      const n = now();
      timer = setTimeout(() => {
        setT(floorMinute(now()));
        arm();
      }, 60_000 - (n % 60_000) + 5);
      timer.unref?.();
    };
    arm();
    return () => clearTimeout(timer);
  }, [now]);
  return t;
}

function floorMinute(ms: number): number {
  return ms - (ms % 60_000);
}
