/**
 * Samples each service's resident memory from its Prometheus `/metrics`
 * (`process_resident_memory_bytes`, prom-client's default metrics) while a bench runs, and keeps
 * the peak. Read over HTTP so it works whatever process manager started the services; `/metrics`
 * is for operators, so the operator token goes along as a bearer token (as Prometheus sends it).
 */
export function sampleServiceMemory(services: Record<string, string>, { operatorToken, intervalMs = 500 }: { operatorToken: string | undefined; intervalMs?: number }) {
  const headers: Record<string, string> = operatorToken ? { authorization: `Bearer ${operatorToken}` } : {};
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
