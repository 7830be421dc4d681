import type { Expr } from '../../../../contracts/audience-expression/ast.js';
import type { MomentCounts, MomentSettings } from '../../../../contracts/moments.js';
import type { Ctx } from '../../../context.js';
import type { Bitmap } from '../../audiences/index/bitmaps.js';
import type { CorpIndex } from '../../audiences/index/corp-index.js';
import type { AudienceCatalog } from '../../audiences/service/catalog.js';
import type { AudienceEngine } from '../../audiences/service/engine.js';

/** What a post's audience is computed from: expressions already checked, senders already expanded to userids. */
export type MomentAudienceInput = {
  include: Expr | null;
  exclude: Expr | null;
  /** Tag groups the include targets: their suppression lists apply. */
  targetGroupIds: string[];
  /** Active employees who may send it (expanded from users and departments, within the author's reach). */
  senders: string[];
  /** When the post goes out: the cap counts deliveries in the 7 days before. */
  at: Date;
  settings: MomentSettings;
  /** A post being re-planned does not count against itself. */
  momentId?: string;
};

/** The audience of a post: counts reduction by reduction, who remains, and who sends to each. */
export type MomentAudience = {
  index: CorpIndex;
  counts: MomentCounts;
  remaining: Bitmap;
  /** Remaining customers per sender (every remaining customer counted once, under their sender). */
  bySender: Map<string, number>;
  /** The sender of a remaining customer: the chosen sender who last chatted with them, else their earliest chosen follower. */
  senderOf: (seq: number) => string;
  /** `corps.moment_version` the cap and suppression bitmaps were read at: a command writing deliveries checks it is unchanged. */
  momentVersion: number;
  elapsedMs: number;
};

/** Computes include − exclude − suppressed − over cap − unreachable on the corp's index (implementation in progress). */
export async function momentAudience(_engine: AudienceEngine, _ctx: Ctx, _catalog: AudienceCatalog, _input: MomentAudienceInput): Promise<MomentAudience> {
  throw new Error('momentAudience: being written');
}
