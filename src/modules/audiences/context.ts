/**
 * What an expression is evaluated against besides the customers: the clock (relative windows),
 * the corp's zone (dates without one), the live tag → group map (`group:G:any|all|none` means the
 * group's live tags at evaluation time) and the department tree (`dept:N+`). The index evaluator,
 * the SQL compiler and the reference evaluator take the same context, so they can agree.
 */
export type EvalContext = {
  now: Date;
  /** Zone of dates written without one; defaults to +480 (Asia/Shanghai). */
  utcOffsetMinutes?: number;
  /** Live tag id → group id (corp, strategy and smart tags). */
  tagGroups: ReadonlyMap<string, string>;
  /** Department id → parent id. */
  departmentParents: ReadonlyMap<number, number>;
};
