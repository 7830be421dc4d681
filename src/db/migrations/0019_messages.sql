CREATE TABLE "message_receipts" (
	"corp_id" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"userid" text NOT NULL,
	"external_userid" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"keywords" text[] DEFAULT '{}' NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "message_receipts_corp_id_idempotency_key_pk" PRIMARY KEY("corp_id","idempotency_key")
);
--> statement-breakpoint
ALTER TABLE "message_receipts" ADD CONSTRAINT "message_receipts_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;
