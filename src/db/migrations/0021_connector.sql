CREATE TABLE "webhook_attempts" (
	"corp_id" text NOT NULL,
	"delivery_id" text NOT NULL,
	"attempt" integer NOT NULL,
	"status" integer,
	"error" text,
	"latency_ms" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_attempts_corp_id_delivery_id_attempt_pk" PRIMARY KEY("corp_id","delivery_id","attempt")
);
--> statement-breakpoint
CREATE TABLE "webhook_outbox" (
	"corp_id" text NOT NULL,
	"delivery_id" text NOT NULL,
	"subscription_id" text NOT NULL,
	"event_seq" bigint NOT NULL,
	"event_type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"idempotency_key" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_status" integer,
	"last_error" text,
	"last_latency_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "webhook_outbox_corp_id_delivery_id_pk" PRIMARY KEY("corp_id","delivery_id")
);
--> statement-breakpoint
CREATE TABLE "webhook_subscriptions" (
	"corp_id" text NOT NULL,
	"subscription_id" text NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"event_types" text[] NOT NULL,
	"secret" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_subscriptions_corp_id_subscription_id_pk" PRIMARY KEY("corp_id","subscription_id")
);
--> statement-breakpoint
CREATE TABLE "wecom_callbacks" (
	"corp_id" text NOT NULL,
	"callback_id" text NOT NULL,
	"dedup_key" text,
	"outcome" text NOT NULL,
	"event" text,
	"change_type" text,
	"reason" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wecom_callbacks_corp_id_callback_id_pk" PRIMARY KEY("corp_id","callback_id")
);
--> statement-breakpoint
CREATE TABLE "wecom_connections" (
	"corp_id" text PRIMARY KEY NOT NULL,
	"wecom_corpid" text NOT NULL,
	"agent_id" integer,
	"api_base" text DEFAULT 'https://qyapi.weixin.qq.com' NOT NULL,
	"secret_sealed" text NOT NULL,
	"callback_token_sealed" text,
	"aes_key_sealed" text,
	"push_enabled" boolean DEFAULT false NOT NULL,
	"access_token_sealed" text,
	"token_expires_at" timestamp with time zone,
	"jsapi_ticket_sealed" text,
	"jsapi_ticket_expires_at" timestamp with time zone,
	"last_full_pull_at" timestamp with time zone,
	"last_pull_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wecom_id_map" (
	"corp_id" text NOT NULL,
	"kind" text NOT NULL,
	"local_id" text NOT NULL,
	"remote_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wecom_id_map_corp_id_kind_local_id_pk" PRIMARY KEY("corp_id","kind","local_id")
);
--> statement-breakpoint
CREATE TABLE "wecom_push_queue" (
	"corp_id" text NOT NULL,
	"item_id" text NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "wecom_push_queue_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"event_seq" bigint NOT NULL,
	"event_type" text NOT NULL,
	"op" text NOT NULL,
	"order_key" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_errcode" integer,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone,
	CONSTRAINT "wecom_push_queue_corp_id_item_id_pk" PRIMARY KEY("corp_id","item_id")
);
--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_outbox" ADD CONSTRAINT "webhook_outbox_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_subscriptions" ADD CONSTRAINT "webhook_subscriptions_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_callbacks" ADD CONSTRAINT "wecom_callbacks_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_connections" ADD CONSTRAINT "wecom_connections_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_id_map" ADD CONSTRAINT "wecom_id_map_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_push_queue" ADD CONSTRAINT "wecom_push_queue_corp_id_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_outbox_key_uq" ON "webhook_outbox" USING btree ("corp_id","subscription_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "webhook_outbox_due_idx" ON "webhook_outbox" USING btree ("corp_id","next_attempt_at") WHERE "webhook_outbox"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "webhook_outbox_sub_idx" ON "webhook_outbox" USING btree ("corp_id","subscription_id","created_at");--> statement-breakpoint
CREATE INDEX "wecom_callbacks_recent_idx" ON "wecom_callbacks" USING btree ("corp_id","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "wecom_callbacks_dedup_uq" ON "wecom_callbacks" USING btree ("corp_id","dedup_key") WHERE "wecom_callbacks"."outcome" = 'applied';--> statement-breakpoint
CREATE UNIQUE INDEX "wecom_id_map_remote_uq" ON "wecom_id_map" USING btree ("corp_id","kind","remote_id");--> statement-breakpoint
CREATE INDEX "wecom_push_due_idx" ON "wecom_push_queue" USING btree ("corp_id","next_attempt_at") WHERE "wecom_push_queue"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "wecom_push_order_idx" ON "wecom_push_queue" USING btree ("corp_id","order_key","seq") WHERE "wecom_push_queue"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "wecom_push_dead_idx" ON "wecom_push_queue" USING btree ("corp_id","seq") WHERE "wecom_push_queue"."status" = 'dead';