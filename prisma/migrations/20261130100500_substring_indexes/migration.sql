-- Trigram indexes for SCIM co/sw/ew filters (src/scim/filter/compile.ts compiles them to
-- lower(<expr>) LIKE lower($1)). Prisma cannot declare expression indexes, so they live here;
-- the schema diff leaves them alone.
CREATE INDEX IF NOT EXISTS "User_userName_trgm_idx" ON "User" USING gin (lower("userName"::text) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS "User_displayName_trgm_idx" ON "User" USING gin (lower("displayName") gin_trgm_ops);
CREATE INDEX IF NOT EXISTS "User_givenName_trgm_idx" ON "User" USING gin (lower(data -> 'name' ->> 'givenName') gin_trgm_ops);
CREATE INDEX IF NOT EXISTS "User_familyName_trgm_idx" ON "User" USING gin (lower(data -> 'name' ->> 'familyName') gin_trgm_ops);
CREATE INDEX IF NOT EXISTS "Group_displayName_trgm_idx" ON "Group" USING gin (lower("displayName"::text) gin_trgm_ops);
