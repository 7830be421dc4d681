CREATE TABLE "access_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"corp_id" text NOT NULL,
	"app_id" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "apps" (
	"corp_id" text NOT NULL,
	"app_id" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"secret_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "apps_corp_id_app_id_pk" PRIMARY KEY("corp_id","app_id")
);
--> statement-breakpoint
CREATE TABLE "corps" (
	"corp_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"tag_version" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "departments" (
	"corp_id" text NOT NULL,
	"dept_id" integer NOT NULL,
	"name" text NOT NULL,
	"parent_id" integer DEFAULT 0 NOT NULL,
	"region" text,
	"order" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "departments_corp_id_dept_id_pk" PRIMARY KEY("corp_id","dept_id")
);
--> statement-breakpoint
CREATE TABLE "employees" (
	"corp_id" text NOT NULL,
	"userid" text NOT NULL,
	"name" text NOT NULL,
	"department_ids" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"role" text DEFAULT 'staff' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "employees_corp_id_userid_pk" PRIMARY KEY("corp_id","userid")
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"corp_id" text NOT NULL,
	"external_userid" text NOT NULL,
	"seq" bigint NOT NULL,
	"name" text NOT NULL,
	"type" integer DEFAULT 1 NOT NULL,
	"gender" integer DEFAULT 0 NOT NULL,
	"avatar" text DEFAULT '' NOT NULL,
	"corp_name" text DEFAULT '' NOT NULL,
	"corp_full_name" text DEFAULT '' NOT NULL,
	"province" text DEFAULT '' NOT NULL,
	"city" text DEFAULT '' NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customers_corp_id_external_userid_pk" PRIMARY KEY("corp_id","external_userid")
);
--> statement-breakpoint
CREATE TABLE "follows" (
	"corp_id" text NOT NULL,
	"userid" text NOT NULL,
	"external_userid" text NOT NULL,
	"remark" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"remark_corp_name" text DEFAULT '' NOT NULL,
	"remark_mobiles" text[] DEFAULT '{}' NOT NULL,
	"add_time" timestamp with time zone DEFAULT now() NOT NULL,
	"add_way" integer DEFAULT 0 NOT NULL,
	"state" text DEFAULT '' NOT NULL,
	"oper_userid" text DEFAULT '' NOT NULL,
	CONSTRAINT "follows_corp_id_userid_external_userid_pk" PRIMARY KEY("corp_id","userid","external_userid")
);
--> statement-breakpoint
CREATE TABLE "archived_marks" (
	"corp_id" text NOT NULL,
	"tag_id" text NOT NULL,
	"external_userid" text NOT NULL,
	"userid" text NOT NULL,
	"source" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"deletion_id" text NOT NULL,
	CONSTRAINT "archived_marks_corp_id_tag_id_external_userid_userid_pk" PRIMARY KEY("corp_id","tag_id","external_userid","userid")
);
--> statement-breakpoint
CREATE TABLE "marks" (
	"corp_id" text NOT NULL,
	"external_userid" text NOT NULL,
	"userid" text NOT NULL,
	"tag_id" text NOT NULL,
	"personal" integer DEFAULT 0 NOT NULL,
	"source" text DEFAULT 'manual' NOT NULL,
	"created_by" text NOT NULL,
	"operation_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "marks_corp_id_external_userid_userid_tag_id_pk" PRIMARY KEY("corp_id","external_userid","userid","tag_id")
);
--> statement-breakpoint
CREATE TABLE "personal_tags" (
	"corp_id" text NOT NULL,
	"tag_id" text NOT NULL,
	"owner_userid" text NOT NULL,
	"group_name" text DEFAULT '' NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "personal_tags_corp_id_tag_id_pk" PRIMARY KEY("corp_id","tag_id")
);
--> statement-breakpoint
CREATE TABLE "tag_groups" (
	"corp_id" text NOT NULL,
	"group_id" text NOT NULL,
	"name" text NOT NULL,
	"order" bigint DEFAULT 0 NOT NULL,
	"kind" text DEFAULT 'corp' NOT NULL,
	"strategy_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deletion_id" text,
	CONSTRAINT "tag_groups_corp_id_group_id_pk" PRIMARY KEY("corp_id","group_id")
);
--> statement-breakpoint
CREATE TABLE "tags" (
	"corp_id" text NOT NULL,
	"tag_id" text NOT NULL,
	"group_id" text NOT NULL,
	"name" text NOT NULL,
	"order" bigint DEFAULT 0 NOT NULL,
	"color" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deletion_id" text,
	CONSTRAINT "tags_corp_id_tag_id_pk" PRIMARY KEY("corp_id","tag_id")
);
--> statement-breakpoint
CREATE TABLE "events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"corp_id" text NOT NULL,
	"type" text NOT NULL,
	"actor" text NOT NULL,
	"source" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"payload" jsonb,
	"reason" text,
	"operation_id" text,
	"request_id" text,
	"txid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "access_tokens" ADD CONSTRAINT "access_tokens_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "apps" ADD CONSTRAINT "apps_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "departments" ADD CONSTRAINT "departments_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "employees" ADD CONSTRAINT "employees_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personal_tags" ADD CONSTRAINT "personal_tags_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tag_groups" ADD CONSTRAINT "tag_groups_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "apps_secret_hash_uq" ON "apps" USING btree ("secret_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_seq_uq" ON "customers" USING btree ("corp_id","seq");--> statement-breakpoint
CREATE INDEX "follows_customer_idx" ON "follows" USING btree ("corp_id","external_userid");--> statement-breakpoint
CREATE INDEX "marks_tag_idx" ON "marks" USING btree ("corp_id","tag_id");--> statement-breakpoint
CREATE UNIQUE INDEX "personal_tags_owner_name_uq" ON "personal_tags" USING btree ("corp_id","owner_userid","name");--> statement-breakpoint
CREATE UNIQUE INDEX "tag_groups_live_name_uq" ON "tag_groups" USING btree ("corp_id",coalesce("strategy_id", 0),"name") WHERE "tag_groups"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "tags_group_idx" ON "tags" USING btree ("corp_id","group_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tags_live_name_uq" ON "tags" USING btree ("corp_id","group_id","name") WHERE "tags"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "events_corp_seq_idx" ON "events" USING btree ("corp_id","seq");--> statement-breakpoint
CREATE INDEX "events_subject_idx" ON "events" USING btree ("corp_id","subject_type","subject_id");