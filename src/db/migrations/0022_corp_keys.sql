-- Every key leads with corp_id, so that a distributed PostgreSQL (Citus) can shard each table by corp
-- (a distributed table's primary and unique keys must contain the distribution column). Surrogate ids
-- stay unique on their own (sequences); the key adds corp_id in front of them. What stays global is
-- the allowlist of src/db/citus-keys.db.test.ts (reference tables, a GIN index).
ALTER TABLE "event_consumers" DROP CONSTRAINT "event_consumers_name_corp_id_pk";--> statement-breakpoint
ALTER TABLE "event_consumers" ADD CONSTRAINT "event_consumers_corp_id_name_pk" PRIMARY KEY("corp_id","name");--> statement-breakpoint
-- The events' (corp_id, seq) index becomes their primary key: every reader goes by corp, then seq.
ALTER TABLE "events" DROP CONSTRAINT "events_pkey";--> statement-breakpoint
DROP INDEX "events_corp_seq_idx";--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_corp_id_seq_pk" PRIMARY KEY("corp_id","seq");--> statement-breakpoint
ALTER TABLE "customer_events" DROP CONSTRAINT "customer_events_pkey";--> statement-breakpoint
ALTER TABLE "customer_events" ADD CONSTRAINT "customer_events_corp_id_id_pk" PRIMARY KEY("corp_id","id");--> statement-breakpoint
ALTER TABLE "rule_runs" DROP CONSTRAINT "rule_runs_pkey";--> statement-breakpoint
ALTER TABLE "rule_runs" ADD CONSTRAINT "rule_runs_corp_id_id_pk" PRIMARY KEY("corp_id","id");--> statement-breakpoint
ALTER TABLE "login_failures" DROP CONSTRAINT "login_failures_pkey";--> statement-breakpoint
ALTER TABLE "login_failures" ADD CONSTRAINT "login_failures_corp_id_id_pk" PRIMARY KEY("corp_id","id");--> statement-breakpoint
ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "webhook_deliveries_pkey";--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_corp_id_id_pk" PRIMARY KEY("corp_id","id");--> statement-breakpoint
DROP INDEX "webhook_deliveries_accepted_uq";--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_accepted_uq" ON "webhook_deliveries" USING btree ("corp_id","source_id","delivery_id") WHERE "webhook_deliveries"."outcome" = 'accepted';--> statement-breakpoint
-- The queue index holds only queued and running jobs (a handful), so leading with corp_id costs the
-- cross-corp claim (oldest queued job of any corp) a sort of those few rows, nothing more.
DROP INDEX "operations_queue_idx";--> statement-breakpoint
CREATE INDEX "operations_queue_idx" ON "operations" USING btree ("corp_id","created_at") WHERE "operations"."status" in ('queued', 'running');
