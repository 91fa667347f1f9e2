import { readYaml, yamlFiles } from './deploy-files';

describe('YAML files', () => {
  const files = yamlFiles();

  test('the deploy artifacts are among the files checked', () => {
    expect(files).toEqual(expect.arrayContaining(['docker-compose.yml', 'copilot/producer/manifest.yml', '.github/workflows/ci.yml']));
  });

  test.each(files)('%s parses (CloudFormation short tags included)', (file) => {
    expect(() => readYaml(file)).not.toThrow();
  });
});
