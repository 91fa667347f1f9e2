// The Herald operator console: one page, live panels over the consumer's operator-only GraphQL.
// The shell holds no data; without the operator token nothing is fetched.
import { render } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, BROKER_ACTION, DEAD_LETTERS, FLOW, POISON, PAUSE, REPLAY, RESUME, SIMULATION, SNAPSHOT, gql, storeToken, storedToken, subscribe } from './api.js';
import { ClusterPanel } from './cluster.js';
import { DeadLettersPanel } from './dead-letters.js';
import { FlowPanel } from './flow.js';
import { GroupsPanel } from './groups.js';
import { html } from './html.js';
import { SimulationPanel } from './simulation.js';
import { TopicsPanel } from './topics.js';

const SNAPSHOT_EVERY_MS = 2000;
const SIMULATION_EVERY_MS = 3000;
const DEAD_LETTERS_EVERY_MS = 10_000;
const DEAD_LETTERS_PAGE = 50;
const FLOW_TICKS = 120;
const FLOW_EVENTS = 30;

/** Calls `work` now and every `ms` while mounted (and the token stays). */
function useEvery(ms, work, deps) {
  useEffect(() => {
    let stopped = false;
    const run = () => !stopped && work();
    run();
    const timer = setInterval(run, ms);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, deps);
}

function Login({ onToken, refused }) {
  const [value, setValue] = useState('');
  const submit = (event) => {
    event.preventDefault();
    if (value.trim()) onToken(value.trim());
  };
  return html`<form onSubmit=${submit} data-testid="login">
    <label for="token">operator token</label>
    <input id="token" type="password" autocomplete="off" value=${value} onInput=${(event) => setValue(event.currentTarget.value)} />
    <button type="submit">connect</button>
    ${refused && html`<span class="error" data-testid="refused">${refused}</span>`}
  </form>`;
}

function Console({ token, onRefused }) {
  const [snapshot, setSnapshot] = useState(null);
  const [simulation, setSimulation] = useState(null);
  const [deadLetters, setDeadLetters] = useState(null);
  const [replayResult, setReplayResult] = useState(null);
  const [flow, setFlow] = useState({ ticks: [], events: [], error: null });
  const [log, setLog] = useState([]);
  const [problem, setProblem] = useState(null);
  const alive = useRef(true);
  useEffect(() => () => (alive.current = false), []);

  const handle = useCallback(
    (error) => {
      if (error instanceof ApiError && (error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN')) onRefused(error.message);
      else setProblem(error.message);
    },
    [onRefused],
  );
  const note = (line) => setLog((lines) => [`${new Date().toLocaleTimeString()} ${line}`, ...lines].slice(0, 50));

  useEvery(SNAPSHOT_EVERY_MS, () => gql(token, SNAPSHOT).then((data) => (setSnapshot(data.consoleSnapshot), setProblem(null)), handle), [token]);
  useEvery(SIMULATION_EVERY_MS, () => gql(token, SIMULATION).then((data) => setSimulation(data.failureSimulation), handle), [token]);
  // Which page of the dead-letter queue is shown: all partitions' newest, or one partition's, paged back.
  const deadLetterView = useRef({});
  const loadDeadLetters = () => gql(token, DEAD_LETTERS, { first: DEAD_LETTERS_PAGE, ...deadLetterView.current }).then((data) => setDeadLetters(data.deadLetters), (error) => (error.code === 'RATE_LIMITED' ? undefined : handle(error)));
  useEvery(DEAD_LETTERS_EVERY_MS, loadDeadLetters, [token]);
  const showDeadLetters = (view) => {
    deadLetterView.current = view;
    setDeadLetters(null);
    loadDeadLetters();
  };

  useEffect(
    () =>
      subscribe(token, FLOW, {
        next: ({ consoleFlow }) =>
          setFlow((before) => ({ error: null, ticks: [...before.ticks, consoleFlow].slice(-FLOW_TICKS), events: [...consoleFlow.events, ...before.events].slice(0, FLOW_EVENTS) })),
        error: (error) => (error instanceof ApiError && error.code ? handle(error) : setFlow((before) => ({ ...before, error: error.message }))),
      }),
    [token],
  );

  const act = (nodeId, action) => {
    note(`${action.toLowerCase()} broker ${nodeId}…`);
    gql(token, BROKER_ACTION, { nodeId, action }).then(({ brokerAction }) => note(`broker ${brokerAction.nodeId} is ${brokerAction.state}`), (error) => note(`${action.toLowerCase()} broker ${nodeId} failed: ${error.message}`));
  };
  const setPaused = (groupId, paused) =>
    gql(token, paused ? PAUSE : RESUME, { groupId }).then(() => note(`${paused ? 'paused' : 'resumed'} ${groupId}`), (error) => note(`${groupId}: ${error.message}`));
  const poison = (topic) =>
    gql(token, POISON, { topic }).then(({ publishPoisonRecord: at }) => note(`poison record at ${at.topic}/${at.partition}/${at.offset}`), (error) => note(`poison record failed: ${error.message}`));
  const replay = (selection) =>
    gql(token, REPLAY, selection).then(
      ({ replayDeadLetters }) => (setReplayResult(replayDeadLetters), loadDeadLetters()),
      (error) => setReplayResult({ error: error.message }),
    );

  if (!snapshot) return html`<main><p class="notice">${problem ?? 'loading…'}</p></main>`;
  return html`<main>
    ${problem && html`<p class="notice error">${problem}</p>`}
    <${ClusterPanel} snapshot=${snapshot} simulation=${simulation} act=${act} />
    <${SimulationPanel} simulation=${simulation} poison=${poison} log=${log} />
    <${TopicsPanel} topics=${snapshot.topics} />
    <${GroupsPanel} snapshot=${snapshot} simulation=${simulation} setPaused=${setPaused} />
    <${FlowPanel} flow=${flow} />
    <${DeadLettersPanel}
      page=${deadLetters}
      pageSize=${DEAD_LETTERS_PAGE}
      partitions=${snapshot.topics.find((topic) => topic.name.endsWith('dead-letter-queue'))?.partitions.length ?? 0}
      view=${deadLetterView.current}
      show=${showDeadLetters}
      refresh=${loadDeadLetters}
      replay=${replay}
      result=${replayResult}
    />
  </main>`;
}

function App() {
  const [token, setToken] = useState(storedToken());
  const [refused, setRefused] = useState(null);
  const use = (value) => {
    storeToken(value);
    setRefused(null);
    setToken(value);
  };
  const onRefused = useCallback((message) => {
    storeToken('');
    setToken('');
    setRefused(message);
  }, []);
  return html`<div>
    <header>
      <h1>Herald console</h1>
      ${token ? html`<button data-testid="forget" onClick=${() => use('')}>forget token</button>` : html`<${Login} onToken=${use} refused=${refused} />`}
    </header>
    ${token ? html`<${Console} token=${token} onRefused=${onRefused} />` : html`<main><p class="notice" data-testid="no-token">Enter the operator token (OPERATOR_TOKEN; npm start prints one) to see the cluster. Nothing is shown without it.</p></main>`}
  </div>`;
}

render(html`<${App} />`, document.getElementById('root'));
