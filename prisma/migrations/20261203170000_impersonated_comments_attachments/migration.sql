-- A comment or an upload made by a desk user impersonating a partner user records both, as the
-- history does ("Taru Tapsa (IMP: Dana Desk)"): the partner user stays the author, this is who really acted.

-- AlterTable
ALTER TABLE "RequestComment" ADD COLUMN     "impersonatorId" UUID;

-- AlterTable
ALTER TABLE "RequestAttachment" ADD COLUMN     "impersonatorId" UUID;

-- AddForeignKey
ALTER TABLE "RequestComment" ADD CONSTRAINT "RequestComment_impersonatorId_fkey" FOREIGN KEY ("impersonatorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RequestAttachment" ADD CONSTRAINT "RequestAttachment_impersonatorId_fkey" FOREIGN KEY ("impersonatorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

