import { z } from 'zod';

/**
 * The secret AWS Copilot injects for an Aurora cluster (Secrets Manager JSON). Only the fields
 * Herald needs are read.
 */
const dbSecretSchema = z.object({
  host: z.string().min(1),
  port: z.coerce.number().int().positive().default(5432),
  dbname: z.string().min(1).optional(),
  username: z.string().min(1),
  password: z.string().min(1),
});

/**
 * A PostgreSQL URL from either `DATABASE_URL` or a Copilot/Secrets Manager JSON secret. The secret
 * wins when both are set, because on ECS it is the one kept current by rotation.
 */
export function databaseUrlFrom({ url, secretJson, database }: { url?: string; secretJson?: string; database?: string }): string | undefined {
  if (secretJson) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(secretJson);
    } catch {
      throw new Error('is not valid JSON (expected {"host","port","dbname","username","password"})');
    }
    const result = dbSecretSchema.safeParse(parsed);
    if (!result.success) throw new Error(`lacks or has invalid fields: ${result.error.issues.map((issue) => issue.path.join('.')).join(', ')}`);
    const secret = result.data;
    const name = database ?? secret.dbname ?? 'postgres';
    return `postgres://${encodeURIComponent(secret.username)}:${encodeURIComponent(secret.password)}@${secret.host}:${secret.port}/${encodeURIComponent(name)}`;
  }
  return url;
}
