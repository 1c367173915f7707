-- History events and stock-ledger entries are facts: once written they are never changed or
-- removed, so reports and balances can always be recomputed from them.
CREATE FUNCTION "forbid_append_only_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER "HistoryEvent_append_only"
  BEFORE UPDATE OR DELETE ON "HistoryEvent"
  FOR EACH ROW EXECUTE FUNCTION "forbid_append_only_change"();
CREATE TRIGGER "HistoryEvent_no_truncate"
  BEFORE TRUNCATE ON "HistoryEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "forbid_append_only_change"();

CREATE TRIGGER "StockLedgerEntry_append_only"
  BEFORE UPDATE OR DELETE ON "StockLedgerEntry"
  FOR EACH ROW EXECUTE FUNCTION "forbid_append_only_change"();
CREATE TRIGGER "StockLedgerEntry_no_truncate"
  BEFORE TRUNCATE ON "StockLedgerEntry"
  FOR EACH STATEMENT EXECUTE FUNCTION "forbid_append_only_change"();

-- The kind carries the direction; a quantity is always positive.
ALTER TABLE "StockLedgerEntry" ADD CONSTRAINT "StockLedgerEntry_channels_positive" CHECK ("channels" > 0);

-- A stock balance is derived from the ledger, never stored:
--   available = credited + returned + released - reserved
--   reserved  = reserved - released - consumed
--   consumed  = consumed - returned
CREATE VIEW "StockBalance" AS
SELECT
  "companyId",
  "productId",
  SUM(CASE "kind" WHEN 'CREDIT' THEN "channels" WHEN 'RETURN' THEN "channels" WHEN 'RELEASE' THEN "channels"
                  WHEN 'RESERVE' THEN -"channels" ELSE 0 END)::integer AS "available",
  SUM(CASE "kind" WHEN 'RESERVE' THEN "channels" WHEN 'RELEASE' THEN -"channels" WHEN 'CONSUME' THEN -"channels"
                  ELSE 0 END)::integer AS "reserved",
  SUM(CASE "kind" WHEN 'CONSUME' THEN "channels" WHEN 'RETURN' THEN -"channels" ELSE 0 END)::integer AS "consumed",
  MAX("createdAt") AS "updatedAt"
FROM "StockLedgerEntry"
GROUP BY "companyId", "productId";
