import { describe, expect, it } from 'vitest';
import { type StreakSignal, type StreakState, signalOf, stepStreak } from './streak.js';

/** Runs interactions (post id, kind) through an empty streak; returns the final state and every suppression. */
function run(steps: [string, string][], threshold = 3, start: StreakState = { suppressed: false, momentIds: [] }) {
  let state = start;
  const suppressions: (readonly string[])[] = [];
  for (const [momentId, kind] of steps) {
    const step = stepStreak(state, momentId, signalOf(kind), threshold);
    state = step.state;
    if (step.suppressedBy) suppressions.push(step.suppressedBy);
  }
  return { state, suppressions };
}

describe('not-interested streaks', () => {
  it('reads likes, comments and clicks as positive, a view as neither', () => {
    const kinds: [string, StreakSignal][] = [
      ['not_interested', 'not_interested'],
      ['liked', 'positive'],
      ['commented', 'positive'],
      ['clicked', 'positive'],
      ['viewed', 'neutral'],
      ['something_new', 'neutral'],
    ];
    for (const [kind, signal] of kinds) expect(signalOf(kind), kind).toBe(signal);
  });

  it.each([
    [
      'three in a row suppress, naming the posts',
      [
        ['mo1', 'not_interested'],
        ['mo2', 'not_interested'],
        ['mo3', 'not_interested'],
      ],
      [['mo1', 'mo2', 'mo3']],
      { suppressed: true },
    ],
    [
      'two are not enough',
      [
        ['mo1', 'not_interested'],
        ['mo2', 'not_interested'],
      ],
      [],
      { suppressed: false, momentIds: ['mo1', 'mo2'] },
    ],
    [
      'a like in between starts over',
      [
        ['mo1', 'not_interested'],
        ['mo2', 'not_interested'],
        ['mo2', 'liked'],
        ['mo3', 'not_interested'],
      ],
      [],
      { suppressed: false, momentIds: ['mo3'] },
    ],
    [
      'a comment or a click resets too',
      [
        ['mo1', 'not_interested'],
        ['mo9', 'commented'],
        ['mo2', 'not_interested'],
        ['mo9', 'clicked'],
        ['mo3', 'not_interested'],
      ],
      [],
      { suppressed: false, momentIds: ['mo3'] },
    ],
    [
      'views do not break a streak',
      [
        ['mo1', 'not_interested'],
        ['mo7', 'viewed'],
        ['mo2', 'not_interested'],
        ['mo8', 'viewed'],
        ['mo3', 'not_interested'],
      ],
      [['mo1', 'mo2', 'mo3']],
      { suppressed: true },
    ],
    [
      'the same post twice counts once',
      [
        ['mo1', 'not_interested'],
        ['mo1', 'not_interested'],
        ['mo2', 'not_interested'],
        ['mo2', 'not_interested'],
      ],
      [],
      { suppressed: false, momentIds: ['mo1', 'mo2'] },
    ],
    [
      'once suppressed, later interactions change nothing',
      [
        ['mo1', 'not_interested'],
        ['mo2', 'not_interested'],
        ['mo3', 'not_interested'],
        ['mo4', 'liked'],
        ['mo5', 'not_interested'],
        ['mo6', 'not_interested'],
        ['mo7', 'not_interested'],
      ],
      [['mo1', 'mo2', 'mo3']],
      { suppressed: true },
    ],
  ] as [string, [string, string][], string[][], StreakState][])('%s', (_name, steps, suppressions, final) => {
    const out = run(steps);
    expect(out.suppressions).toEqual(suppressions);
    expect(out.state).toEqual(final);
  });

  it('follows the corp setting, and a streak already past a lowered threshold suppresses on its next post', () => {
    expect(run([['mo1', 'not_interested']], 1).suppressions).toEqual([['mo1']]);
    expect(
      run(
        [
          ['mo1', 'not_interested'],
          ['mo2', 'not_interested'],
        ],
        5,
      ).state,
    ).toEqual({ suppressed: false, momentIds: ['mo1', 'mo2'] });
    expect(run([['mo4', 'not_interested']], 2, { suppressed: false, momentIds: ['mo1', 'mo2', 'mo3'] }).suppressions).toEqual([['mo1', 'mo2', 'mo3', 'mo4']]);
  });
});
