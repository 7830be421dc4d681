CREATE TABLE "rule_versions" (
	"corp_id" text NOT NULL,
	"rule_id" text NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"author" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rule_versions_corp_id_rule_id_version_pk" PRIMARY KEY("corp_id","rule_id","version")
);
--> statement-breakpoint
CREATE TABLE "rules" (
	"corp_id" text NOT NULL,
	"rule_id" text NOT NULL,
	"name" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"current_version" integer NOT NULL,
	"trigger_kind" text NOT NULL,
	"tag_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_by" text NOT NULL,
	"copied_from" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "rules_corp_id_rule_id_pk" PRIMARY KEY("corp_id","rule_id")
);
--> statement-breakpoint
ALTER TABLE "rules" ADD CONSTRAINT "rules_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rules_live_idx" ON "rules" USING btree ("corp_id","trigger_kind") WHERE "rules"."deleted_at" is null;