/**
 * The audience expression language, pure core: AST and validation, text syntax (parse / print),
 * normal form, and the reference evaluator with explanations. No database, no HTTP.
 */
export {
  type AttrPredicate,
  type EventPredicate,
  type Expr,
  expressionLimits,
  expressionSchema,
  type GroupChatPredicate,
  kindOf,
  type Leaf,
  type LeafKind,
  leafKinds,
  leafSchemas,
  type TimeWindow,
  timeWindowSchema,
} from '../../../../contracts/audience-expression/ast.js';
export { dateInterval, defaultUtcOffsetMinutes, durationMs, type Interval, isDateLiteral } from '../../../../contracts/audience-expression/time.js';
export { addWayCodes, anyChat, chatIdPattern, eventTypePattern, genderCodes, idPattern } from '../../../../contracts/audience-expression/vocabulary.js';
export { windowInterval } from '../../../../contracts/audience-expression/window.js';
export { evaluate } from './evaluate.js';
export { type Explanation, explain, formatExplanation } from './explain.js';
export { type ChatFact, type CustomerFacts, customerFacts, type EventFact, type FollowFact } from './facts.js';
export { groupTags, type LeafMatch, matchLeaf } from './match.js';
export { canonicalKey, normalize } from './normalize.js';
export { type ChatReference, maxExpressionText, type NameResolver, type ParseOptions, parseExpression, type TagNameReference } from './parse.js';
export { type PrintOptions, printExpression, printLeaf, printText } from './print.js';
export { checkExpression, type ExpressionIssue, validateExpression } from './validate.js';
