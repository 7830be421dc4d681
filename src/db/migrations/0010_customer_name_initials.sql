ALTER TABLE "customers" ADD COLUMN "name_initials" text;--> statement-breakpoint
CREATE INDEX "customers_name_initials_idx" ON "customers" USING btree ("corp_id","name_initials" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "customers_name_initials_todo_idx" ON "customers" USING btree ("corp_id") WHERE "customers"."name_initials" is null;--> statement-breakpoint
-- Pinyin initials of customers' names for the name search (张三 → zs). SQL cannot compute them:
-- addCustomers writes them with the name, and src/db/fill-name-initials.ts fills the rows where
-- they are null in the background after each server start (the rows from before this migration).
-- A name changed by anything but that path (an operator's UPDATE, a future sync) would keep the old
-- initials; this trigger clears them instead, so the fill recomputes them.
CREATE FUNCTION tagloom_customer_name_initials_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.name IS DISTINCT FROM OLD.name AND NEW.name_initials IS NOT DISTINCT FROM OLD.name_initials THEN
    NEW.name_initials := NULL;
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER customers_name_initials_stale BEFORE UPDATE OF name ON customers FOR EACH ROW EXECUTE FUNCTION tagloom_customer_name_initials_stale();
