import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDevConfig, writeOperatorTokenFile } from '@herald/local-infra';
import { benchTarget, BenchSetupError, requireOperatorToken } from './bench-env';

describe("the benches' operator token", () => {
  let dataDir: string;
  const devConfig = () => loadDevConfig({ HERALD_DATA_DIR: dataDir });
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'herald-bench-env-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is OPERATOR_TOKEN when it is set, even while npm start has noted another', () => {
    writeOperatorTokenFile(devConfig(), 'n'.repeat(32));

    expect(benchTarget({ OPERATOR_TOKEN: 'e'.repeat(32) }, devConfig()).operatorToken).toBe('e'.repeat(32));
  });

  it('is the token the running npm start noted in its data dir when OPERATOR_TOKEN is not set', () => {
    const remove = writeOperatorTokenFile(devConfig(), 'n'.repeat(32));

    expect(benchTarget({}, devConfig()).operatorToken).toBe('n'.repeat(32));
    remove();
    expect(benchTarget({}, devConfig()).operatorToken).toBeUndefined();
  });

  it('stops a bench that needs it and has neither, with a message that names OPERATOR_TOKEN and npm start', () => {
    const target = benchTarget({}, devConfig());
    const attempt = () => requireOperatorToken(target, 'bench:e2e', '/metrics');

    expect(attempt).toThrow(BenchSetupError);
    expect(attempt).toThrow(/OPERATOR_TOKEN/);
    expect(attempt).toThrow(/npm start/);
  });

  it('lets a bench go on with the token when there is one', () => {
    expect(requireOperatorToken(benchTarget({ OPERATOR_TOKEN: 'e'.repeat(32) }, devConfig()), 'bench:e2e', '/metrics')).toBe('e'.repeat(32));
  });
});

describe("the user-keys token a bench gives the services it adds", () => {
  it("is USER_KEYS_TOKEN of the shell, else npm start's setting of it (.env), else none: npm start keeps a random one to itself", () => {
    const configured = loadDevConfig({ USER_KEYS_TOKEN: 'c'.repeat(32) });

    expect(benchTarget({ USER_KEYS_TOKEN: 'e'.repeat(32) }, configured).userKeysToken).toBe('e'.repeat(32));
    expect(benchTarget({}, configured).userKeysToken).toBe('c'.repeat(32));
    expect(benchTarget({}, loadDevConfig({})).userKeysToken).toBeUndefined();
  });
});
