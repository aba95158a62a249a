/** A settable clock for deterministic tests: `now()` returns `t`, `advance(ms)` moves it forward. */
export interface FakeClock {
  t: number;
  now: () => number;
  advance: (ms: number) => void;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export function fakeClock(start = 1_700_000_000_000): FakeClock {
  const clock: FakeClock = {
    t: start,
    now: () => clock.t,
    advance: (ms) => {
      clock.t += ms;
    },
  };
  return clock;
}
