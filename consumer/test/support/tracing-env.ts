/** Both services export to a test's OTLP receiver, as JSON, every 100 ms; `extra` adds settings (a sampler). */
export const tracingEnv = (endpoint: string, extra: Record<string, string> = {}) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  OTEL_BSP_SCHEDULE_DELAY: '100',
  ...extra,
});
