/**
 * What Copilot renders around Herald's manifests, as data: the checks compare the overrides
 * (copilot/<stack>/overrides/cfn.patches.yml) and the environment addons' parameters file with
 * it, because Copilot itself cannot be built or run offline.
 *
 * Read from Copilot's own templates and Go sources (github.com/aws/copilot-cli), at the newest
 * commit the stored snapshot holds: 4c858e718bc88449e29540993d8496ac81d7b419 (2024-03-25), whose
 * templates are the same as tag v1.33.2's. Herald pins v1.34.1; that release is not in the
 * snapshot, and aws/copilot-cli#6093 (open) reports that it still renders these functions with
 * nodejs20.x. Paths below are relative to internal/pkg/template/templates/ unless they start with
 * internal/. When Herald moves to another Copilot release, re-read the files named here.
 */

/** The Copilot release Herald deploys with (.github/workflows/cd.yml pins the same). */
export const COPILOT_RELEASE = 'v1.34.1';

/** When a helper Lambda is part of the rendered template, in terms of Herald's manifests. */
export type RenderedWhen =
  /** in every template of its kind */
  | 'always'
  /** a Load Balanced Web Service with `http:` (an ALB listener rule) */
  | 'http'
  /** a service whose `count` has a `range` (Copilot's `{{if .Autoscaling}}`) */
  | 'count-range'
  /** an environment that imports no certificate (`http.public.certificates` absent) */
  | 'no-imported-certificates'
  /** an environment with `cdn:` and an imported certificate or an application domain */
  | 'cdn-with-certificate-or-domain'
  /** an environment whose public load balancer writes access logs to a bucket Copilot creates */
  | 'elb-access-logs-bucket';

export type HelperLambda = {
  logicalId: string;
  /** `Properties.Runtime` as Copilot writes it */
  runtime: string;
  /** the property keys the rendered resource has (a patch may replace only what exists) */
  properties: string[];
  renderedWhen: RenderedWhen;
  /** the template file that renders it */
  source: string;
};

export type StackKind = 'Backend Service' | 'Load Balanced Web Service' | 'Environment';

const FUNCTION_PROPERTIES = ['Code', 'Handler', 'Timeout', 'MemorySize', 'Role', 'Runtime'];

/** Every AWS::Lambda::Function Copilot can render in the stack kinds Herald uses. */
export const HELPER_LAMBDAS: Record<StackKind, HelperLambda[]> = {
  'Backend Service': [
    // workloads/services/backend/cf.yml includes env-controller unconditionally, autoscaling
    // inside {{- if .Autoscaling}}.
    { logicalId: 'EnvControllerFunction', runtime: 'nodejs20.x', properties: FUNCTION_PROPERTIES, renderedWhen: 'always', source: 'workloads/partials/cf/env-controller.yml' },
    { logicalId: 'DynamicDesiredCountFunction', runtime: 'nodejs20.x', properties: FUNCTION_PROPERTIES, renderedWhen: 'count-range', source: 'workloads/partials/cf/autoscaling.yml' },
  ],
  'Load Balanced Web Service': [
    // workloads/services/lb-web/cf.yml: env-controller always, alb inside {{- if .ALBListener}},
    // autoscaling inside {{- if .Autoscaling}}.
    { logicalId: 'EnvControllerFunction', runtime: 'nodejs20.x', properties: FUNCTION_PROPERTIES, renderedWhen: 'always', source: 'workloads/partials/cf/env-controller.yml' },
    { logicalId: 'RulePriorityFunction', runtime: 'nodejs20.x', properties: FUNCTION_PROPERTIES, renderedWhen: 'http', source: 'workloads/partials/cf/alb.yml' },
    { logicalId: 'DynamicDesiredCountFunction', runtime: 'nodejs20.x', properties: FUNCTION_PROPERTIES, renderedWhen: 'count-range', source: 'workloads/partials/cf/autoscaling.yml' },
  ],
  Environment: [
    // environment/cf.yml includes the lambdas partial inside {{- if not .PublicHTTPConfig.ImportedCertARNs}};
    // each function also carries a Condition (DelegateDNS or ManagedAliases), so CloudFormation
    // creates it only once the application has a domain.
    { logicalId: 'CertificateValidationFunction', runtime: 'nodejs20.x', properties: FUNCTION_PROPERTIES, renderedWhen: 'no-imported-certificates', source: 'environment/partials/lambdas.yml' },
    { logicalId: 'CustomDomainFunction', runtime: 'nodejs20.x', properties: FUNCTION_PROPERTIES, renderedWhen: 'no-imported-certificates', source: 'environment/partials/lambdas.yml' },
    { logicalId: 'DNSDelegationFunction', runtime: 'nodejs20.x', properties: FUNCTION_PROPERTIES, renderedWhen: 'no-imported-certificates', source: 'environment/partials/lambdas.yml' },
    // environment/cf.yml includes cdn-resources inside {{- if .CDNConfig}}, and that partial
    // renders the function inside {{- if or .CDNConfig.ImportedCertificate .DelegateDNS}}.
    { logicalId: 'UniqueJSONValuesFunction', runtime: 'nodejs20.x', properties: FUNCTION_PROPERTIES, renderedWhen: 'cdn-with-certificate-or-domain', source: 'environment/partials/cdn-resources.yml' },
    // environment/cf.yml includes elb-access-logs inside {{- if .PublicHTTPConfig.ELBAccessLogs.ShouldCreateBucket}}.
    { logicalId: 'BucketCleanerFunction', runtime: 'nodejs20.x', properties: FUNCTION_PROPERTIES, renderedWhen: 'elb-access-logs-bucket', source: 'environment/partials/elb-access-logs.yml' },
  ],
};

/** How Copilot applies cfn.patches.yml (internal/pkg/override/patch.go). */
export const PATCH_FACTS = {
  source: 'internal/pkg/override/patch.go',
  /** any other op stops the deployment ("unsupported operation") */
  operations: ['add', 'remove', 'replace'],
  /**
   * `replace` and `remove` need the path itself, `add` its parent: a patch whose path is not in
   * the rendered template fails the deployment. That is RFC 6902's rule as well.
   */
  pathMustExist: true,
  /** the file Copilot reads from copilot/<workload>/overrides/ and copilot/environments/overrides/ */
  file: 'cfn.patches.yml',
} as const;

/** How Copilot passes parameters to the environment addons' nested stack. */
export const ENV_ADDON_FACTS = {
  source: 'internal/pkg/addon/addons.go, environment/cf.yml (AddonsStack)',
  /** passed by Copilot itself; the template must declare them, the parameters file must not */
  reservedParameters: ['App', 'Env'],
  /**
   * Every key of addons.parameters.yml must be a template parameter, and every template parameter
   * without a Default must be a key of the file (validateParameters). Templates are merged into
   * one: a parameter declared in two addons must be declared the same way in both.
   */
  parametersFile: 'addons.parameters.yml',
} as const;

/**
 * Logical ids of the environment stack that the parameters file may !Ref (environment/cf.yml and
 * environment/partials/vpc-resources.yml, for a VPC that Copilot creates): one PrivateSubnet<n>
 * and PublicSubnet<n> per subnet of the manifest, numbered from 1 in manifest order.
 */
export function environmentLogicalIds(manifest: { network?: { vpc?: { subnets?: { public?: unknown[]; private?: unknown[] } } } }): string[] {
  const subnets = manifest.network?.vpc?.subnets ?? {};
  const numbered = (prefix: string, list: unknown[] = []) => list.map((_, index) => `${prefix}${index + 1}`);
  return ['VPC', 'EnvironmentSecurityGroup', 'Cluster', 'ServiceDiscoveryNamespace', ...numbered('PublicSubnet', subnets.public), ...numbered('PrivateSubnet', subnets.private)];
}

/**
 * Exports of the environment stack that workload addons may import (environment/cf.yml Outputs,
 * named `${AWS::StackName}-<name>`, the stack being `<app>-<env>`); a selection, not all of them.
 */
export const ENVIRONMENT_EXPORTS = [
  'VpcId',
  'PublicSubnets',
  'PrivateSubnets',
  'InternetGatewayID',
  'PublicRouteTableID',
  'PrivateRouteTableIDs',
  'ServiceDiscoveryNamespaceID',
  'EnvironmentSecurityGroup',
  'ClusterId',
  // Condition CreateALB: there once a Load Balanced Web Service is deployed, which `svc deploy`
  // does to the environment stack before the service stack (and its addons) that imports it.
  'PublicLoadBalancerFullName',
];

/**
 * Logical ids of the workload (service) stack that a service's addons.parameters.yml may !Ref
 * (workloads/partials/cf/loggroup.yml: `LogGroup`, named /copilot/<app>-<env>-<service>); a selection.
 */
export const WORKLOAD_LOGICAL_IDS = ['LogGroup'];

/**
 * What `observability.tracing: awsxray` renders in a Backend or Load Balanced Web Service
 * (workloads/partials/cf/sidecars.yml, workloads/partials/cf/taskrole.yml), and how the task
 * definition orders its containers (workloads/services/{backend,lb-web}/cf.yml include the
 * workload-container partial, then sidecars; sidecars.yml renders the FireLens router when the
 * manifest has `logging`, then the collector, then the manifest's `sidecars`). Copilot sets no
 * OTEL_* variable on the service's container, and renders DependsOn on it only from the
 * manifest's `image.depends_on`, which may name only the manifest's own sidecars.
 */
export const TRACING_FACTS = {
  source: 'workloads/partials/cf/sidecars.yml, workloads/partials/cf/workload-container.yml, workloads/partials/cf/taskrole.yml',
  /** the logical id of the task definition in a service stack */
  taskDefinition: 'TaskDefinition',
  collector: {
    name: 'aws-otel-collector',
    // pinned by aws/copilot-cli#3526 (2022) and unchanged since (aws/copilot-cli#5484, open)
    image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.17.0',
    command: ['--config=/etc/ecs/ecs-xray.yaml'],
    /** no Essential (so ECS takes it as essential), no Cpu or Memory of its own */
    properties: ['Name', 'Image', 'Command', 'LogConfiguration'],
  },
  /** the service's own container, as workload-container.yml writes it (DependsOn only with image.depends_on) */
  workloadContainerProperties: ['Name', 'Image', 'Secrets', 'Environment', 'EnvironmentFiles', 'LogConfiguration'],
  /** the task role's policy for the collector: X-Ray and CloudWatch Logs, on "*" */
  taskRolePolicy: {
    name: 'AWSDistroOpenTelemetryPolicy',
    actions: [
      'logs:PutLogEvents',
      'logs:CreateLogGroup',
      'logs:CreateLogStream',
      'logs:DescribeLogStreams',
      'logs:DescribeLogGroups',
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
      'xray:GetSamplingStatisticSummaries',
    ],
  },
} as const;
