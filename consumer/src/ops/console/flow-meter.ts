import { HEADERS } from '@herald/events';
import type { KafkaRecord, RecordHeaders } from '@herald/kafka';

/** What the console shows of one record: where it is and what kind it is, never its value. */
export interface FlowEvent {
  topic: string;
  type: string | null;
  key: string | null;
  partition: number;
  offset: string;
  at: string;
}

export interface FlowTick {
  at: string;
  rates: Array<{ topic: string; perSecond: number }>;
  /** Records seen since the last tick, newest first, at most `keep`. */
  events: FlowEvent[];
}

const MAX_TEXT = 64;

/** A key or header as short printable text: any record can arrive, whatever its bytes. */
function shortText(value: Buffer | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = value.toString().slice(0, MAX_TEXT * 2).replace(/[^\x20-\x7e]/g, '?');
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

function headerText(headers: RecordHeaders | undefined, name: string): string | null {
  const value = headers?.[name];
  return shortText(Array.isArray(value) ? value[0] : value);
}

/**
 * The console's live flow: counts the records the live feed reads (every partition of every
 * Herald topic, whichever task projects them) and, once a tick, publishes events per second per
 * topic and the latest records, so a subscriber gets one small message a second however busy
 * the topics are. Values are never read: no personal data leaves through here.
 */
export function createFlowMeter({ topics, publish, tickMs = 1000, keep = 20 }: { topics: string[]; publish: (tick: FlowTick) => void; tickMs?: number; keep?: number }) {
  let counts = new Map<string, number>();
  let latest: FlowEvent[] = [];
  let since = Date.now();
  let timer: NodeJS.Timeout | undefined;

  function tick(now = Date.now()): FlowTick {
    const seconds = Math.max(now - since, 1) / 1000;
    const result = {
      at: new Date(now).toISOString(),
      rates: topics.map((topic) => ({ topic, perSecond: (counts.get(topic) ?? 0) / seconds })),
      events: latest.slice().reverse(),
    };
    counts = new Map();
    latest = [];
    since = now;
    return result;
  }

  return {
    topics,
    record(topic: string, partition: number, message: Pick<KafkaRecord, 'key' | 'offset' | 'headers' | 'timestamp'>) {
      counts.set(topic, (counts.get(topic) ?? 0) + 1);
      const stamp = Number(message.timestamp);
      latest.push({
        topic,
        partition,
        offset: message.offset,
        key: shortText(message.key),
        type: headerText(message.headers, HEADERS.eventType),
        at: new Date(Number.isFinite(stamp) && Math.abs(stamp) <= 8.64e15 ? stamp : Date.now()).toISOString(),
      });
      if (latest.length > keep) latest.shift();
    },
    /** The tick as of now (and a new count from here); the timer calls it once per tickMs. */
    tick,
    start() {
      since = Date.now();
      timer = setInterval(() => publish(tick()), tickMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
}

export type FlowMeter = ReturnType<typeof createFlowMeter>;
