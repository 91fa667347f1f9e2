import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_ENV, SERVICE_NODE_FLAGS } from '@herald/local-infra';
import { ROOT, runTool, toolTest } from './deploy-files';

const dockerfiles = [
  { file: 'producer/Dockerfile', service: 'producer', port: 9001 },
  { file: 'consumer/Dockerfile', service: 'consumer', port: 9000 },
];

/** The instructions of the last stage (the image that ships). */
function finalStage(text: string): string {
  return text.split(/^FROM /m).at(-1) ?? '';
}

describe.each(dockerfiles)("$file follows Herald's image rules", ({ file, service, port }) => {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const runtime = finalStage(text);

  test('is multi-stage on a pinned Node 24 base', () => {
    expect(text.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^ARG NODE_IMAGE=node:24\.\d+\.\d+-(bookworm-slim|alpine[\d.]*)$/m);
  });

  test('runs as a non-root user with a /health check and the compiled entry point, with the flags `npm start` uses', () => {
    const user = runtime.match(/^USER (\S+)/m)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*\/health/m);
    expect(runtime).toContain(`EXPOSE ${port}`);
    expect(runtime).toContain(`CMD ${JSON.stringify(['node', ...SERVICE_NODE_FLAGS, `${service}/dist/main.js`]).replaceAll(',', ', ')}`);
    for (const [name, value] of Object.entries(SERVICE_ENV)) expect(runtime).toContain(`ENV ${name}=${value}`);
  });

  test('installs nothing in the final stage, and only production dependencies for it', () => {
    expect(runtime).not.toMatch(/npm (install|i |ci)/);
    expect(text).toMatch(/npm install --omit=dev --omit=optional/);
  });
});

toolTest('hadolint finds nothing in the Dockerfiles', 'hadolint', (hadolint) => {
  const result = runTool(hadolint, ['--no-color', ...dockerfiles.map((dockerfile) => dockerfile.file)]);
  expect(result.output).toBe('');
  expect(result.status).toBe(0);
});
