export function migrate(opts: { connectionString?: string; dir?: string; log?: (line: string) => void }): Promise<string[]>;
