-- CreateIndex
CREATE INDEX "Group_tenantId_id_idx" ON "Group"("tenantId", "id");

-- CreateIndex
CREATE INDEX "User_tenantId_id_idx" ON "User"("tenantId", "id");
