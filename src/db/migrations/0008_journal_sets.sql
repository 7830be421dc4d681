CREATE TABLE "operation_change_sets" (
	"corp_id" text NOT NULL,
	"operation_id" text NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "operation_change_sets_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"change" smallint NOT NULL,
	"external_userids" text[] NOT NULL,
	"userids" text[] NOT NULL,
	"tag_ids" text[] NOT NULL,
	"prior_sources" text[],
	"prior_created_bys" text[],
	"prior_operation_ids" text[],
	"prior_created_ats" timestamp with time zone[],
	CONSTRAINT "operation_change_sets_corp_id_operation_id_seq_pk" PRIMARY KEY("corp_id","operation_id","seq")
);
--> statement-breakpoint
-- Both journals, a row per mark: `seq` orders rows (and sets), `item` orders the marks within a set.
CREATE VIEW "operation_journal" AS
SELECT c.corp_id, c.operation_id, c.external_userid, c.userid, c.tag_id, c.change, c.prior_source, c.prior_created_by, c.prior_operation_id, c.prior_created_at, c.seq, 0::bigint AS item
FROM operation_changes c
UNION ALL
SELECT s.corp_id, s.operation_id, e.external_userid, e.userid, e.tag_id, s.change, e.prior_source, e.prior_created_by, e.prior_operation_id, e.prior_created_at, s.seq, e.item
FROM operation_change_sets s
CROSS JOIN LATERAL unnest(s.external_userids, s.userids, s.tag_ids, s.prior_sources, s.prior_created_bys, s.prior_operation_ids, s.prior_created_ats)
  WITH ORDINALITY AS e(external_userid, userid, tag_id, prior_source, prior_created_by, prior_operation_id, prior_created_at, item);
