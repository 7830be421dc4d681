// The SQL side of audiences: the compiler (the database's own answer to "who is in it") and the
// loader of one customer's facts for the reference evaluator.
export { audienceCount, audiencePredicate, audienceQuery, audienceSeqs } from './compile.js';
export { loadCustomerFacts, loadCustomersFacts } from './facts.js';
