CREATE TABLE "contact_ways" (
	"corp_id" text NOT NULL,
	"config_id" text NOT NULL,
	"type" integer NOT NULL,
	"scene" integer NOT NULL,
	"style" integer,
	"remark" text DEFAULT '' NOT NULL,
	"skip_verify" boolean DEFAULT true NOT NULL,
	"state" text DEFAULT '' NOT NULL,
	"userids" text[] DEFAULT '{}' NOT NULL,
	"party" integer[] DEFAULT '{}' NOT NULL,
	"is_temp" boolean DEFAULT false NOT NULL,
	"expires_in" integer,
	"chat_expires_in" integer,
	"unionid" text DEFAULT '' NOT NULL,
	"conclusions" jsonb,
	"qr_code" text DEFAULT '' NOT NULL,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"default_tag_ids" text[] DEFAULT '{}' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "contact_ways_corp_id_config_id_pk" PRIMARY KEY("corp_id","config_id")
);
--> statement-breakpoint
ALTER TABLE "contact_ways" ADD CONSTRAINT "contact_ways_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "contact_ways_live_state_uq" ON "contact_ways" USING btree ("corp_id","state") WHERE "contact_ways"."deleted_at" is null and "contact_ways"."state" <> '';--> statement-breakpoint
CREATE INDEX "contact_ways_created_idx" ON "contact_ways" USING btree ("corp_id","created_at","config_id") WHERE "contact_ways"."deleted_at" is null;