CREATE TABLE "event_consumers" (
	"name" text NOT NULL,
	"corp_id" text NOT NULL,
	"settled_below" "xid8" NOT NULL,
	"pending" "xid8"[] NOT NULL,
	"floor" bigint DEFAULT 0 NOT NULL,
	"snapshot" text,
	"after_txid" "xid8",
	"after_seq" bigint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_consumers_name_corp_id_pk" PRIMARY KEY("name","corp_id")
);
