CREATE TABLE "moment_deliveries" (
	"corp_id" text NOT NULL,
	"moment_id" text NOT NULL,
	"external_userid" text NOT NULL,
	"seq" bigint NOT NULL,
	"sender_userid" text NOT NULL,
	"variant" integer DEFAULT -1 NOT NULL,
	"matched_tag_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"planned_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "moment_deliveries_corp_id_moment_id_external_userid_pk" PRIMARY KEY("corp_id","moment_id","external_userid")
);
--> statement-breakpoint
CREATE TABLE "moment_streaks" (
	"corp_id" text NOT NULL,
	"group_id" text NOT NULL,
	"external_userid" text NOT NULL,
	"moment_ids" text[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "moment_streaks_corp_id_group_id_external_userid_pk" PRIMARY KEY("corp_id","group_id","external_userid")
);
--> statement-breakpoint
CREATE TABLE "moment_suppressions" (
	"corp_id" text NOT NULL,
	"group_id" text NOT NULL,
	"external_userid" text NOT NULL,
	"moment_ids" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lifted_at" timestamp with time zone,
	"lifted_by" text,
	CONSTRAINT "moment_suppressions_corp_id_group_id_external_userid_pk" PRIMARY KEY("corp_id","group_id","external_userid")
);
--> statement-breakpoint
CREATE TABLE "moments" (
	"corp_id" text NOT NULL,
	"moment_id" text NOT NULL,
	"status" text NOT NULL,
	"text" text DEFAULT '' NOT NULL,
	"attachments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"variants" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"senders" jsonb NOT NULL,
	"include_expr" jsonb,
	"exclude_expr" jsonb,
	"include_tag_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"target_group_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"schedule" jsonb NOT NULL,
	"counts" jsonb,
	"author" text NOT NULL,
	"origin" text NOT NULL,
	"wecom_jobid" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"scheduled_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "moments_corp_id_moment_id_pk" PRIMARY KEY("corp_id","moment_id")
);
--> statement-breakpoint
ALTER TABLE "corps" ADD COLUMN "moment_version" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "moment_deliveries" ADD CONSTRAINT "moment_deliveries_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moment_streaks" ADD CONSTRAINT "moment_streaks_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moment_suppressions" ADD CONSTRAINT "moment_suppressions_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moments" ADD CONSTRAINT "moments_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "moment_deliveries_due_idx" ON "moment_deliveries" USING btree ("corp_id","planned_at") WHERE "moment_deliveries"."status" = 'planned';--> statement-breakpoint
CREATE INDEX "moment_deliveries_customer_idx" ON "moment_deliveries" USING btree ("corp_id","external_userid","planned_at");--> statement-breakpoint
CREATE INDEX "moment_deliveries_sender_idx" ON "moment_deliveries" USING btree ("corp_id","moment_id","sender_userid");--> statement-breakpoint
CREATE INDEX "moments_created_idx" ON "moments" USING btree ("corp_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "moments_jobid_uq" ON "moments" USING btree ("corp_id","wecom_jobid") WHERE "moments"."wecom_jobid" is not null;--> statement-breakpoint
CREATE INDEX "message_receipts_pair_idx" ON "message_receipts" USING btree ("corp_id","external_userid","userid","sent_at");