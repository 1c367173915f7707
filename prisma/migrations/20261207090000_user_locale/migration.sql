-- The language a user chose for the back office, the portal and their mails ('en' or 'fi'). NULL
-- until they choose: the UI then follows the browser's language, and mails go in English.
ALTER TABLE "User" ADD COLUMN "locale" TEXT;
ALTER TABLE "User" ADD CONSTRAINT "User_locale_check" CHECK ("locale" IN ('en', 'fi'));
