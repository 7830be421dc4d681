-- Wakes the audience index (and anything else tailing the outbox) when events commit: one
-- notification per corp per statement, delivered at commit, so readers poll instead of waiting
-- for their next timer tick. The payload is only the corp id; readers still read the table.
CREATE FUNCTION tagloom_notify_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tagloom_events', corp_id) FROM (SELECT DISTINCT corp_id FROM new_rows) AS c;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER events_notify AFTER INSERT ON events REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tagloom_notify_events();
