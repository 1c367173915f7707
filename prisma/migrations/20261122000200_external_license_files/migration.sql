-- External products get their license file from outside our generator: such a revision keeps
-- the uploaded file and has no signing key of ours.
ALTER TABLE "LicenseRevision" ALTER COLUMN "signingKeyId" DROP NOT NULL;
ALTER TABLE "LicenseRevision" ADD COLUMN "external" BOOLEAN NOT NULL DEFAULT false;
