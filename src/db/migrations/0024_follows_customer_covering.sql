-- A customer's relations by customer, with the employee in the key: the batch check of 100,000 explicit
-- ids (and a customer's followers) read the index alone, without a heap visit per relation.
DROP INDEX "follows_customer_idx";--> statement-breakpoint
CREATE INDEX "follows_customer_idx" ON "follows" USING btree ("corp_id","external_userid","userid");