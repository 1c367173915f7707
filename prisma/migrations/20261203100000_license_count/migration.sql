-- The license list answers with its total (Content-Range), and COUNT(*) over a million
-- licenses took ~150 ms per page, more than the whole rest of the request. Each company's
-- number of licenses is kept here instead, by statement-level triggers on "License", so a list
-- filtered by nothing but companies sums a few rows. A statement's changes are applied at
-- once from its transition tables: a bulk INSERT ... SELECT touches each company's row once,
-- and an UPDATE that moves no license between companies touches none (no lock taken).
CREATE TABLE "LicenseCount" (
  "companyId" UUID NOT NULL,
  "licenses" BIGINT NOT NULL DEFAULT 0,
  CONSTRAINT "LicenseCount_pkey" PRIMARY KEY ("companyId"),
  CONSTRAINT "LicenseCount_companyId_fkey" FOREIGN KEY ("companyId") REFERENCES "Company"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "LicenseCount_not_negative" CHECK ("licenses" >= 0)
);

INSERT INTO "LicenseCount" ("companyId", "licenses")
SELECT "companyId", count(*) FROM "License" GROUP BY "companyId";

CREATE FUNCTION "license_count_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- New rows are inserted in companyId order, so two statements do not wait on each other in a cycle.
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "LicenseCount" AS c ("companyId", "licenses")
    SELECT "companyId", count(*) FROM new_rows GROUP BY "companyId" ORDER BY "companyId"
    ON CONFLICT ("companyId") DO UPDATE SET "licenses" = c."licenses" + EXCLUDED."licenses";
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE "LicenseCount" c SET "licenses" = c."licenses" - d.n
    FROM (SELECT "companyId", count(*) AS n FROM old_rows GROUP BY "companyId" ORDER BY "companyId") d
    WHERE c."companyId" = d."companyId";
  ELSE
    -- A company gaining its first license needs its row before the sums are applied.
    INSERT INTO "LicenseCount" ("companyId")
    SELECT DISTINCT n."companyId" FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE o."companyId" <> n."companyId" ORDER BY n."companyId"
    ON CONFLICT ("companyId") DO NOTHING;
    UPDATE "LicenseCount" c SET "licenses" = c."licenses" + d.n
    FROM (
      SELECT "companyId", sum(n) AS n FROM (
        SELECT "companyId", 1 AS n FROM new_rows
        UNION ALL
        SELECT "companyId", -1 AS n FROM old_rows
      ) moved
      GROUP BY "companyId" HAVING sum(n) <> 0
    ) d
    WHERE c."companyId" = d."companyId";
  END IF;
  RETURN NULL;
END;
$$;

CREATE FUNCTION "license_count_reset"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "LicenseCount";
  RETURN NULL;
END;
$$;

CREATE TRIGGER "License_count_insert" AFTER INSERT ON "License"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "license_count_apply"();
CREATE TRIGGER "License_count_update" AFTER UPDATE ON "License"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "license_count_apply"();
CREATE TRIGGER "License_count_delete" AFTER DELETE ON "License"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "license_count_apply"();
CREATE TRIGGER "License_count_truncate" AFTER TRUNCATE ON "License"
  FOR EACH STATEMENT EXECUTE FUNCTION "license_count_reset"();
