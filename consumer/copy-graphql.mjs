// Part of the consumer's `npm run build`: tsc compiles src/ to dist/ but copies nothing else, and
// the GraphQL yogas read their schemas from the .graphql files beside their compiled code
// (src/http/read-sdl.ts). So every .graphql file under src/ goes to the same place under dist/.
import { cpSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const consumer = dirname(fileURLToPath(import.meta.url));
cpSync(join(consumer, 'src'), join(consumer, 'dist'), {
  recursive: true,
  filter: (source) => source.endsWith('.graphql') || statSync(source).isDirectory(),
});
