-- Names are unique by what a person sees (issue 12 §6): each named table gets `name_key`, the
-- folded form of `name` that src/names/name-policy.ts `nameKey` computes (NFKC, lower case per code
-- point, invisible characters dropped, runs of spaces as one and none at the ends), and the unique
-- indexes move to it.
-- Commands write the key; this SQL twin of `nameKey` only backfills existing rows (and stays for
-- operators; name-key.db.test.ts checks both agree).
CREATE FUNCTION tagloom_name_key(name text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT btrim(regexp_replace(
    normalize(lower(regexp_replace(normalize(name, NFKC), '[\u00AD\u034F\u061C\u115F-\u1160\u17B4-\u17B5\u180B-\u180F\u200B-\u200C\u200E-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFF8\U0001BCA0-\U0001BCA3\U0001D173-\U0001D17A\U000E0000-\U000E001F\U000E0080-\U000E0FFF]', '', 'g')), NFKC),
    ' {2,}', ' ', 'g'), ' ')
$$;--> statement-breakpoint
DROP INDEX "personal_tags_owner_name_uq";--> statement-breakpoint
DROP INDEX "tag_groups_live_name_uq";--> statement-breakpoint
DROP INDEX "tags_live_name_uq";--> statement-breakpoint
DROP INDEX "audiences_name_uq";--> statement-breakpoint
ALTER TABLE "personal_tags" ADD COLUMN "name_key" text;--> statement-breakpoint
ALTER TABLE "tag_groups" ADD COLUMN "name_key" text;--> statement-breakpoint
ALTER TABLE "tags" ADD COLUMN "name_key" text;--> statement-breakpoint
ALTER TABLE "audiences" ADD COLUMN "name_key" text;--> statement-breakpoint
UPDATE "personal_tags" SET "name_key" = tagloom_name_key("name");--> statement-breakpoint
UPDATE "tag_groups" SET "name_key" = tagloom_name_key("name");--> statement-breakpoint
UPDATE "tags" SET "name_key" = tagloom_name_key("name");--> statement-breakpoint
UPDATE "audiences" SET "name_key" = tagloom_name_key("name");--> statement-breakpoint
-- Look-alike names accepted before this migration (VIP beside ＶＩＰ in one group) all stay: each
-- one after the oldest gets a key no name can have (U+0001 and its id appended), so the indexes
-- build and nothing is renamed. Renaming such a row gives it its real key.
UPDATE "personal_tags" t SET "name_key" = t."name_key" || chr(1) || t."tag_id"
FROM (SELECT "corp_id", "tag_id", row_number() OVER (PARTITION BY "corp_id", "owner_userid", "name_key" ORDER BY "created_at", "tag_id") AS n FROM "personal_tags") d
WHERE d."corp_id" = t."corp_id" AND d."tag_id" = t."tag_id" AND d.n > 1;--> statement-breakpoint
UPDATE "tag_groups" t SET "name_key" = t."name_key" || chr(1) || t."group_id"
FROM (SELECT "corp_id", "group_id", row_number() OVER (PARTITION BY "corp_id", coalesce("strategy_id", 0), "name_key" ORDER BY "created_at", "group_id") AS n FROM "tag_groups" WHERE "deleted_at" IS NULL) d
WHERE d."corp_id" = t."corp_id" AND d."group_id" = t."group_id" AND d.n > 1;--> statement-breakpoint
UPDATE "tags" t SET "name_key" = t."name_key" || chr(1) || t."tag_id"
FROM (SELECT "corp_id", "tag_id", row_number() OVER (PARTITION BY "corp_id", "group_id", "name_key" ORDER BY "created_at", "tag_id") AS n FROM "tags" WHERE "deleted_at" IS NULL) d
WHERE d."corp_id" = t."corp_id" AND d."tag_id" = t."tag_id" AND d.n > 1;--> statement-breakpoint
UPDATE "audiences" t SET "name_key" = t."name_key" || chr(1) || t."audience_id"
FROM (SELECT "corp_id", "audience_id", row_number() OVER (PARTITION BY "corp_id", "name_key" ORDER BY "created_at", "audience_id") AS n FROM "audiences") d
WHERE d."corp_id" = t."corp_id" AND d."audience_id" = t."audience_id" AND d.n > 1;--> statement-breakpoint
ALTER TABLE "personal_tags" ALTER COLUMN "name_key" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "tag_groups" ALTER COLUMN "name_key" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "tags" ALTER COLUMN "name_key" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "audiences" ALTER COLUMN "name_key" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "personal_tags_owner_name_uq" ON "personal_tags" USING btree ("corp_id","owner_userid","name_key");--> statement-breakpoint
CREATE UNIQUE INDEX "tag_groups_live_name_uq" ON "tag_groups" USING btree ("corp_id",coalesce("strategy_id", 0),"name_key") WHERE "tag_groups"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "tags_live_name_uq" ON "tags" USING btree ("corp_id","group_id","name_key") WHERE "tags"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "audiences_name_uq" ON "audiences" USING btree ("corp_id","name_key");
