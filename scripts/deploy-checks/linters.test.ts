import { runTool, toolTest, yamlFiles } from './deploy-files';

describe('linters', () => {
  const addons = yamlFiles().filter((file) => file.includes('/addons/') && !file.endsWith('addons.parameters.yml'));

  toolTest('cfn-lint finds nothing in the Copilot addons', 'cfn-lint', (cfnLint) => {
    expect(addons.length).toBeGreaterThan(0);
    const result = runTool(cfnLint, ['--format', 'parseable', '--', ...addons]);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  toolTest('actionlint finds nothing in the workflows', 'actionlint', (actionlint) => {
    const workflows = yamlFiles().filter((file) => file.startsWith('.github/workflows/'));
    expect(workflows.length).toBeGreaterThan(0);
    const result = runTool(actionlint, ['-no-color', ...workflows]);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });
});
