CREATE TABLE "index_snapshots" (
	"corp_id" text NOT NULL,
	"part" integer NOT NULL,
	"parts" integer NOT NULL,
	"format" integer NOT NULL,
	"checksum" text NOT NULL,
	"cursor" jsonb NOT NULL,
	"schema_mark" bigint NOT NULL,
	"bytes" bigint NOT NULL,
	"taken_at" timestamp with time zone DEFAULT now() NOT NULL,
	"body" "bytea" NOT NULL,
	CONSTRAINT "index_snapshots_corp_id_part_pk" PRIMARY KEY("corp_id","part")
);
