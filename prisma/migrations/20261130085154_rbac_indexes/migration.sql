-- CreateIndex
CREATE INDEX "EffectiveRole_tenantId_source_idx" ON "EffectiveRole"("tenantId", "source");

-- CreateIndex
CREATE UNIQUE INDEX "GroupRoleMapping_tenantId_roleId_groupId_key" ON "GroupRoleMapping"("tenantId", "roleId", "groupId");

-- CreateIndex
CREATE UNIQUE INDEX "GroupRoleMapping_tenantId_roleId_groupDisplayName_key" ON "GroupRoleMapping"("tenantId", "roleId", "groupDisplayName");
