import { fixed } from './stats';
import type { Verdict } from './summary-table';

/**
 * Samples each service's resident memory from its Prometheus `/metrics`
 * (`process_resident_memory_bytes`, prom-client's default metrics) while a bench runs, and keeps
 * the peak. Read over HTTP so it works whatever process manager started the services; `/metrics`
 * is for operators, so the operator token goes along as a bearer token (as Prometheus sends it).
 */
export function sampleServiceMemory(initial: Record<string, string>, { operatorToken, intervalMs = 500 }: { operatorToken: string | undefined; intervalMs?: number }) {
  const headers: Record<string, string> = operatorToken ? { authorization: `Bearer ${operatorToken}` } : {};
  const services = { ...initial };
  const peakMb: Record<string, number> = Object.fromEntries(Object.keys(services).map((name) => [name, Number.NaN]));
  /** The first sample, taken as the bench starts, before its load: the service at rest. */
  const firstMb: Record<string, number> = { ...peakMb };
  const sample = async () => {
    await Promise.all(
      Object.entries(services).map(async ([name, baseUrl]) => {
        const text = await fetch(`${baseUrl}/metrics`, { headers }).then((response) => response.text(), () => '');
        const match = /^process_resident_memory_bytes\s+(\d+(?:\.\d+)?(?:e\+?\d+)?)/m.exec(text);
        if (!match) return;
        const mb = Number(match[1]) / 2 ** 20;
        if (Number.isNaN(firstMb[name]!)) firstMb[name] = mb;
        peakMb[name] = Number.isNaN(peakMb[name]!) ? mb : Math.max(peakMb[name]!, mb);
      }),
    );
  };
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await sample();
      await new Promise((resolveWait) => setTimeout(resolveWait, intervalMs));
    }
  })();
  return {
    /** Samples one more service from now on (a process the bench starts, e.g. a second consumer). */
    add(name: string, baseUrl: string) {
      services[name] = baseUrl;
      peakMb[name] = Number.NaN;
      firstMb[name] = Number.NaN;
    },
    /** RSS per service at the first sample (MiB), before the bench's load. */
    idle: () => firstMb,
    /** Stops sampling and answers the peak RSS per service, in MiB. */
    async stop(): Promise<Record<string, number>> {
      stopped = true;
      await loop;
      return peakMb;
    },
  };
}

/** The issue's memory target, one row per service: peak RSS ≤ 150 MB (n/a when it was not sampled). */
export function peakRssVerdicts(peakMb: Record<string, number>, during: string, idleMb: Record<string, number> = {}): Verdict[] {
  return Object.entries(peakMb).map(([service, mb]) => {
    const idle = idleMb[service];
    return {
      what: `${service} peak RSS ${during}`,
      measured: `${fixed(mb, 0)} MB${idle === undefined ? '' : ` (${fixed(idle, 0)})`}`,
      target: '≤ 150 MB',
      ok: Number.isFinite(mb) ? mb <= 150 : undefined,
    };
  });
}
