CREATE TABLE "group_chat_join_ways" (
	"corp_id" text NOT NULL,
	"config_id" text NOT NULL,
	"scene" integer NOT NULL,
	"remark" text DEFAULT '' NOT NULL,
	"auto_create_room" integer DEFAULT 1 NOT NULL,
	"room_base_name" text DEFAULT '' NOT NULL,
	"room_base_id" integer DEFAULT 0 NOT NULL,
	"chat_id_list" text[] DEFAULT '{}' NOT NULL,
	"state" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "group_chat_join_ways_corp_id_config_id_pk" PRIMARY KEY("corp_id","config_id")
);
--> statement-breakpoint
CREATE TABLE "group_chat_members" (
	"corp_id" text NOT NULL,
	"chat_id" text NOT NULL,
	"member_id" text NOT NULL,
	"type" integer NOT NULL,
	"unionid" text DEFAULT '' NOT NULL,
	"join_time" timestamp with time zone NOT NULL,
	"join_scene" integer NOT NULL,
	"invitor" text DEFAULT '' NOT NULL,
	"group_nickname" text DEFAULT '' NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"state" text DEFAULT '' NOT NULL,
	CONSTRAINT "group_chat_members_corp_id_chat_id_member_id_pk" PRIMARY KEY("corp_id","chat_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "group_chats" (
	"corp_id" text NOT NULL,
	"chat_id" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"owner" text NOT NULL,
	"notice" text DEFAULT '' NOT NULL,
	"status" integer DEFAULT 0 NOT NULL,
	"admin_list" text[] DEFAULT '{}' NOT NULL,
	"member_version" integer DEFAULT 0 NOT NULL,
	"create_time" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "group_chats_corp_id_chat_id_pk" PRIMARY KEY("corp_id","chat_id")
);
--> statement-breakpoint
ALTER TABLE "group_chat_join_ways" ADD CONSTRAINT "group_chat_join_ways_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_chats" ADD CONSTRAINT "group_chats_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "group_chat_members_member_idx" ON "group_chat_members" USING btree ("corp_id","member_id");--> statement-breakpoint
CREATE INDEX "group_chats_owner_idx" ON "group_chats" USING btree ("corp_id","owner");