-- The journal keeps a removed mark's rule origin too (rule, version, evidence event), so undoing the
-- removal of a rule-made tag restores it with its rule and evidence.
ALTER TABLE "operation_changes" ADD COLUMN "prior_rule_id" text;--> statement-breakpoint
ALTER TABLE "operation_changes" ADD COLUMN "prior_rule_version" integer;--> statement-breakpoint
ALTER TABLE "operation_changes" ADD COLUMN "prior_evidence_seq" bigint;--> statement-breakpoint
ALTER TABLE "operation_change_sets" ADD COLUMN "prior_rule_ids" text[];--> statement-breakpoint
ALTER TABLE "operation_change_sets" ADD COLUMN "prior_rule_versions" integer[];--> statement-breakpoint
ALTER TABLE "operation_change_sets" ADD COLUMN "prior_evidence_seqs" bigint[];--> statement-breakpoint
DROP VIEW "operation_journal";--> statement-breakpoint
-- Both journals, a row per mark: `seq` orders rows (and sets), `item` orders the marks within a set.
CREATE VIEW "operation_journal" AS
SELECT c.corp_id, c.operation_id, c.external_userid, c.userid, c.tag_id, c.change, c.prior_source, c.prior_created_by, c.prior_operation_id, c.prior_created_at,
  c.prior_rule_id, c.prior_rule_version, c.prior_evidence_seq, c.seq, 0::bigint AS item
FROM operation_changes c
UNION ALL
SELECT s.corp_id, s.operation_id, e.external_userid, e.userid, e.tag_id, s.change, e.prior_source, e.prior_created_by, e.prior_operation_id, e.prior_created_at,
  e.prior_rule_id, e.prior_rule_version, e.prior_evidence_seq, s.seq, e.item
FROM operation_change_sets s
CROSS JOIN LATERAL unnest(s.external_userids, s.userids, s.tag_ids, s.prior_sources, s.prior_created_bys, s.prior_operation_ids, s.prior_created_ats,
  s.prior_rule_ids, s.prior_rule_versions, s.prior_evidence_seqs)
  WITH ORDINALITY AS e(external_userid, userid, tag_id, prior_source, prior_created_by, prior_operation_id, prior_created_at,
    prior_rule_id, prior_rule_version, prior_evidence_seq, item);
