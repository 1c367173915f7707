-- The license search box (a fragment of the serial or of the end user's name) read every row:
-- LIKE '%…%' cannot use a b-tree, and over 1M licenses one search took seconds. Trigram GIN
-- indexes serve it. gin_trgm_ops takes text, not CHAR(n), so the serial becomes text and keeps
-- its fixed length as a check. pg_trgm is a trusted extension: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE "License" ALTER COLUMN "serial" TYPE TEXT;
ALTER TABLE "License" ADD CONSTRAINT "License_serial_length" CHECK (char_length("serial") = 12);

CREATE INDEX "License_serial_trgm_idx" ON "License" USING GIN ("serial" gin_trgm_ops);
CREATE INDEX "License_endUserCompany_trgm_idx" ON "License" USING GIN ("endUserCompany" gin_trgm_ops);
