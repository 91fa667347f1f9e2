import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import express, { type Response, type Router } from 'express';

/** The page and its modules: consumer/console/ (next to src/ and dist/, so both find it). */
export const CONSOLE_ASSETS = join(__dirname, '..', '..', '..', 'console');

const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/**
 * The libraries the page imports, served from node_modules (no CDN: it works offline), by the
 * names its import map gives them. Only these files, nothing else of node_modules.
 */
const VENDOR: Record<string, string> = {
  'preact.mjs': join(packageDir('preact'), 'dist', 'preact.mjs'),
  'preact-hooks.mjs': join(packageDir('preact'), 'hooks', 'dist', 'hooks.mjs'),
  // htm's exports map hides its package.json; its module build sits beside the main file.
  'htm.mjs': join(dirname(require.resolve('htm')), 'htm.mjs'),
  'uPlot.esm.js': join(packageDir('uplot'), 'dist', 'uPlot.esm.js'),
  'uPlot.min.css': join(packageDir('uplot'), 'dist', 'uPlot.min.css'),
};
// graphql-ws' client module imports a chunk of the same folder by a hashed name.
const GRAPHQL_WS_DIST = join(packageDir('graphql-ws'), 'dist');

/** The SHA-256 of each inline script (the import map): the only inline script the CSP allows. */
function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script type="importmap">([\s\S]*?)<\/script>/g)].map((match) => `'sha256-${createHash('sha256').update(match[1]!).digest('base64')}'`);
}

/**
 * A strict policy: scripts and styles from this origin only (and the one hashed import map), the
 * API on this origin (fetch and graphql-ws), no frames, no forms, no plugins, nothing else.
 */
export function consoleCsp(html: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' ${inlineScriptHashes(html).join(' ')}`.trim(),
    "style-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function secure(res: Response, csp: string) {
  res.set({
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'x-frame-options': 'DENY',
  });
}

/**
 * GET /console: the operator console, a static page with ES modules (preact + htm, uPlot,
 * graphql-ws' client). The shell is public; it holds no data. Every piece of data comes from
 * the operators' GraphQL endpoint, /ops/graphql, with the operator token the page asks for (kept
 * in the tab's sessionStorage, sent as `x-operator-token` and as graphql-ws connectionParams; no
 * cookie, so there is nothing for another site to ride on).
 */
export function createConsoleRoutes({ assetsDir = CONSOLE_ASSETS }: { assetsDir?: string } = {}): Router {
  // A library upgrade that moved one of its files stops start-up here, not a page in a browser.
  const missing = Object.values(VENDOR).filter((file) => !existsSync(file));
  if (missing.length > 0) throw new Error(`The console's libraries are not where it looks for them: ${missing.join(', ')}`);
  const html = readFileSync(join(assetsDir, 'index.html'), 'utf8');
  const csp = consoleCsp(html);
  const router = express.Router();
  // A file that is not there falls through to the JSON 404 (never a 5xx, never the path echoed).
  const staticOptions = {
    index: false,
    dotfiles: 'ignore' as const,
    setHeaders: (res: Response) => secure(res, csp),
  };

  router.get(['/console', '/console/'], (_req, res) => {
    secure(res, csp);
    res.set('cache-control', 'no-store').type('html').send(html);
  });
  router.get('/console/vendor/:file', (req, res, next) => {
    const file = VENDOR[req.params.file];
    if (!file) return next();
    secure(res, csp);
    res.set('cache-control', 'public, max-age=3600').sendFile(file);
  });
  router.use('/console/vendor/graphql-ws', express.static(GRAPHQL_WS_DIST, { ...staticOptions, extensions: false }));
  router.use('/console/app', express.static(join(assetsDir, 'app'), staticOptions));
  return router;
}
