import { z } from 'zod';
import { toTracingConfig, tracingEnvShape } from './tracing-config';

const tracingOf = (env: Record<string, string>) => toTracingConfig(z.object(tracingEnvShape).parse(env));

describe('tracing settings (the standard OTEL_* variables)', () => {
  it('are off without an OTLP endpoint, and with OTEL_TRACES_EXPORTER=none', () => {
    expect(tracingOf({})).toBeUndefined();
    expect(tracingOf({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBeUndefined();
  });

  it('post OTLP to <endpoint>/v1/traces, protobuf unless told JSON', () => {
    expect(tracingOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({ tracesUrl: 'http://collector:4318/v1/traces', protocol: 'http/protobuf', scheduleDelayMs: 5000, sampler: { name: 'parentbased_always_on', ratio: 1 } });
    expect(tracingOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })?.protocol).toBe('http/json');
  });

  it('post to Zipkin with OTEL_TRACES_EXPORTER=zipkin (npm start -- --traces), at the standard default URL unless given one', () => {
    expect(tracingOf({ OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'http://127.0.0.1:9411/api/v2/spans', OTEL_BSP_SCHEDULE_DELAY: '1000' })).toEqual({
      tracesUrl: 'http://127.0.0.1:9411/api/v2/spans',
      protocol: 'zipkin',
      scheduleDelayMs: 1000,
      sampler: { name: 'parentbased_always_on', ratio: 1 },
    });
    expect(tracingOf({ OTEL_TRACES_EXPORTER: 'zipkin' })?.tracesUrl).toBe('http://localhost:9411/api/v2/spans');
  });

  it('refuse an exporter they do not have, naming the choices', () => {
    expect(() => tracingOf({ OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow('must be one of otlp, zipkin, none');
  });

  it('sample by the standard sampler names: all traces by default, a share of new ones with a ratio', () => {
    const otlp = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(tracingOf({ ...otlp, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.05' })?.sampler).toEqual({ name: 'parentbased_traceidratio', ratio: 0.05 });
    expect(() => tracingOf({ ...otlp, OTEL_TRACES_SAMPLER_ARG: '5' })).toThrow('must be a number from 0 to 1');
    expect(() => tracingOf({ ...otlp, OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow('must be one of parentbased_always_on');
  });
});
