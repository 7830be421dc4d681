CREATE INDEX "events_actor_idx" ON "events" USING btree ("corp_id","actor","seq");--> statement-breakpoint
CREATE INDEX "events_type_idx" ON "events" USING btree ("corp_id","type","seq");--> statement-breakpoint
CREATE INDEX "events_follow_customer_idx" ON "events" USING btree ("corp_id",split_part("subject_id", '|', 2),"seq") WHERE "events"."subject_type" = 'follow';--> statement-breakpoint
CREATE INDEX "events_operation_idx" ON "events" USING btree ("corp_id","operation_id") WHERE "events"."operation_id" is not null;--> statement-breakpoint
CREATE INDEX "events_payload_idx" ON "events" USING gin ("payload" jsonb_path_ops);