import { launchChromium, NO_CHROMIUM } from './support/browser';

describe('the browser tests without Chromium', () => {
  const saved = { CHROMIUM_PATH: process.env.CHROMIUM_PATH, CI: process.env.CI };
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('fail (never skip) and say exactly how to install it, in CI and out of it', async () => {
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    delete process.env.CI;
    await expect(launchChromium()).rejects.toThrow(NO_CHROMIUM);
    expect(NO_CHROMIUM).toMatch(/apt-get update && apt-get install -y chromium/);
    process.env.CI = 'true';
    await expect(launchChromium()).rejects.toThrow(/^CI: .*apt-get install -y chromium/);
  });
});
