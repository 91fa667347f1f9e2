import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localOperatorToken, operatorTokenFile, writeOperatorTokenFile } from './operator-token-file';

describe("npm start's operator token file", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'herald-token-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the run’s token, readable by its owner only, until the run removes it', () => {
    const config = { HERALD_DATA_DIR: join(dir, 'dev') };
    const remove = writeOperatorTokenFile(config, 'a'.repeat(32));

    expect(localOperatorToken(config)).toBe('a'.repeat(32));
    expect(statSync(operatorTokenFile(config)).mode & 0o777).toBe(0o600);
    remove();
    expect(localOperatorToken(config)).toBeUndefined();
  });

  it('replaces a token left by a run that was killed', () => {
    const config = { HERALD_DATA_DIR: dir };
    writeOperatorTokenFile(config, 'old'.repeat(11));
    writeOperatorTokenFile(config, 'new'.repeat(11));

    expect(localOperatorToken(config)).toBe('new'.repeat(11));
  });
});
