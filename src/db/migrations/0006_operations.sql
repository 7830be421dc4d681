CREATE TABLE "operation_changes" (
	"corp_id" text NOT NULL,
	"operation_id" text NOT NULL,
	"external_userid" text NOT NULL,
	"userid" text NOT NULL,
	"tag_id" text NOT NULL,
	"change" smallint NOT NULL,
	"prior_source" text,
	"prior_created_by" text,
	"prior_operation_id" text,
	"prior_created_at" timestamp with time zone,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "operation_changes_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	CONSTRAINT "operation_changes_corp_id_operation_id_external_userid_userid_tag_id_pk" PRIMARY KEY("corp_id","operation_id","external_userid","userid","tag_id")
);
--> statement-breakpoint
CREATE TABLE "operations" (
	"corp_id" text NOT NULL,
	"operation_id" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"params" jsonb NOT NULL,
	"actor" jsonb NOT NULL,
	"actor_label" text NOT NULL,
	"source" text NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"result" jsonb,
	"error" jsonb,
	"cancel_requested" boolean DEFAULT false NOT NULL,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"target_operation_id" text,
	"undone_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"heartbeat_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "operations_corp_id_operation_id_pk" PRIMARY KEY("corp_id","operation_id")
);
--> statement-breakpoint
ALTER TABLE "operations" ADD CONSTRAINT "operations_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "operation_changes_mark_idx" ON "operation_changes" USING btree ("corp_id","external_userid","userid","tag_id");--> statement-breakpoint
CREATE INDEX "operations_corp_created_idx" ON "operations" USING btree ("corp_id","created_at");--> statement-breakpoint
CREATE INDEX "operations_queue_idx" ON "operations" USING btree ("created_at") WHERE "operations"."status" in ('queued', 'running');