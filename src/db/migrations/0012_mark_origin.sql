ALTER TABLE "marks" ADD COLUMN "rule_id" text;--> statement-breakpoint
ALTER TABLE "marks" ADD COLUMN "rule_version" integer;--> statement-breakpoint
ALTER TABLE "marks" ADD COLUMN "evidence_seq" bigint;