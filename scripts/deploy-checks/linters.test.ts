import { findTool, runTool, skipMessage, yamlFiles } from './deploy-files';

const cfnLint = findTool('cfn-lint');
const actionlint = findTool('actionlint');
if (!cfnLint) console.log(skipMessage('cfn-lint'));
if (!actionlint) console.log(skipMessage('actionlint'));

describe('linters (when installed)', () => {
  const addons = yamlFiles().filter((file) => file.includes('/addons/') && !file.endsWith('addons.parameters.yml'));

  (cfnLint ? test : test.skip)('cfn-lint finds nothing in the Copilot addons', () => {
    expect(addons.length).toBeGreaterThan(0);
    const result = runTool(cfnLint!, ['--format', 'parseable', '--', ...addons]);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  (actionlint ? test : test.skip)('actionlint finds nothing in the workflows', () => {
    const workflows = yamlFiles().filter((file) => file.startsWith('.github/workflows/'));
    expect(workflows.length).toBeGreaterThan(0);
    const result = runTool(actionlint!, ['-no-color', ...workflows]);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });
});
