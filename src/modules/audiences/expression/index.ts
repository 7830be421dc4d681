/**
 * The audience expression language, pure core: AST and validation, text syntax (parse / print),
 * normal form, and the reference evaluator with explanations. No database, no HTTP.
 */
export { expressionLimits, expressionSchema, leafSchemas, leafKinds, kindOf, timeWindowSchema, type AttrPredicate, type EventPredicate, type Expr, type Leaf, type LeafKind, type TimeWindow } from '../../../../contracts/audience-expression/ast.js';
export { validateExpression, checkExpression, type ExpressionIssue } from './validate.js';
export { parseExpression, maxExpressionText, type NameResolver, type ParseOptions, type TagNameReference } from './parse.js';
export { printExpression, printLeaf, printText, type PrintOptions } from './print.js';
export { normalize, canonicalKey } from './normalize.js';
export { evaluate } from './evaluate.js';
export { explain, formatExplanation, type Explanation } from './explain.js';
export { matchLeaf, groupTags, type LeafMatch } from './match.js';
export { customerFacts, type CustomerFacts, type EventFact, type FollowFact } from './facts.js';
export { dateInterval, durationMs, isDateLiteral, defaultUtcOffsetMinutes, type Interval } from '../../../../contracts/audience-expression/time.js';
export { windowInterval } from '../../../../contracts/audience-expression/window.js';
export { addWayCodes, genderCodes, idPattern, eventTypePattern } from '../../../../contracts/audience-expression/vocabulary.js';
