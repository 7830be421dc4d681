ALTER TABLE "rules" ADD COLUMN "enabled_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE TABLE "rule_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"corp_id" text NOT NULL,
	"run_id" text NOT NULL,
	"rule_id" text NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"due_at" timestamp with time zone,
	"events" integer DEFAULT 0 NOT NULL,
	"customers" integer DEFAULT 0 NOT NULL,
	"added" integer DEFAULT 0 NOT NULL,
	"removed" integer DEFAULT 0 NOT NULL,
	"operation_id" text,
	"error" text,
	"event_seq" bigint,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "rule_runs" ADD CONSTRAINT "rule_runs_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "rule_runs_run_uq" ON "rule_runs" USING btree ("corp_id","run_id");--> statement-breakpoint
CREATE UNIQUE INDEX "rule_runs_due_uq" ON "rule_runs" USING btree ("corp_id","rule_id","due_at") WHERE "rule_runs"."due_at" is not null;--> statement-breakpoint
CREATE INDEX "rule_runs_rule_idx" ON "rule_runs" USING btree ("corp_id","rule_id","id");
