import { readYaml, runTool, toolTest, yamlFiles } from './deploy-files';

describe('YAML files', () => {
  const files = yamlFiles();

  test('the deploy artifacts are among the files checked', () => {
    expect(files).toEqual(expect.arrayContaining(['docker-compose.yml', 'copilot/producer/manifest.yml', '.github/workflows/ci.yml']));
  });

  test.each(files)('%s parses (CloudFormation short tags included)', (file) => {
    expect(() => readYaml(file)).not.toThrow();
  });
});

// The linters, when installed at their pinned versions (scripts/install-check-tools.sh), beside the
// checks every run makes, so this file always has tests of its own.
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
