CREATE TABLE "webhook_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"corp_id" text NOT NULL,
	"source_id" text NOT NULL,
	"delivery_id" text,
	"outcome" text NOT NULL,
	"status" integer NOT NULL,
	"code" text,
	"reason" text,
	"event_type" text,
	"external_userid" text,
	"fields" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_sources" (
	"corp_id" text NOT NULL,
	"source_id" text NOT NULL,
	"name" text NOT NULL,
	"secret" text NOT NULL,
	"mapping" jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rotated_at" timestamp with time zone,
	CONSTRAINT "webhook_sources_corp_id_source_id_pk" PRIMARY KEY("corp_id","source_id")
);
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_sources" ADD CONSTRAINT "webhook_sources_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_source_idx" ON "webhook_deliveries" USING btree ("corp_id","source_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_accepted_uq" ON "webhook_deliveries" USING btree ("source_id","delivery_id") WHERE "webhook_deliveries"."outcome" = 'accepted';--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_sources_source_uq" ON "webhook_sources" USING btree ("source_id");