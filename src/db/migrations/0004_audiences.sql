CREATE TABLE "audiences" (
	"corp_id" text NOT NULL,
	"audience_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"expression" jsonb NOT NULL,
	"owner_userid" text NOT NULL,
	"is_private" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audiences_corp_id_audience_id_pk" PRIMARY KEY("corp_id","audience_id")
);
--> statement-breakpoint
CREATE TABLE "customer_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"corp_id" text NOT NULL,
	"external_userid" text NOT NULL,
	"type" text NOT NULL,
	"target" text DEFAULT '' NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"dedup_key" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tags" ADD COLUMN "rule" jsonb;--> statement-breakpoint
ALTER TABLE "audiences" ADD CONSTRAINT "audiences_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_events" ADD CONSTRAINT "customer_events_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "audiences_name_uq" ON "audiences" USING btree ("corp_id","name");--> statement-breakpoint
CREATE INDEX "customer_events_customer_idx" ON "customer_events" USING btree ("corp_id","external_userid","occurred_at");--> statement-breakpoint
CREATE INDEX "customer_events_type_idx" ON "customer_events" USING btree ("corp_id","type","target","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "customer_events_dedup_uq" ON "customer_events" USING btree ("corp_id","dedup_key") WHERE "customer_events"."dedup_key" is not null;