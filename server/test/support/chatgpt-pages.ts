/**
 * Share pages shaped like the ones chatgpt.com serves (checked against public descriptions and
 * parsers of real pages): the same conversation in each embedding the parser reads. Built here
 * rather than saved, so a fixture cannot carry anyone's real conversation.
 */

export interface FixtureMessage {
  role: 'user' | 'assistant';
  text: string;
}

export const SHARE_TITLE = 'Sparse attention for small models';

export const CONVERSATION: FixtureMessage[] = [
  {
    role: 'user',
    text: 'I think replacing dense attention with a learned sparse pattern lets small transformers keep their accuracy at a fraction of the cost. How would I test that?',
  },
  {
    role: 'assistant',
    text: 'Compare a dense baseline against a learned top-k sparse attention on WikiText-103:\n\n1. Match parameters.\n2. Report perplexity and FLOPs.',
  },
  { role: 'user', text: 'Good. Which sparsity levels should I try?' },
  { role: 'assistant', text: 'Keep 10%, 25% and 50% of the keys per query, and plot perplexity against FLOPs.' },
];

type Node = {
  id: string;
  message: Record<string, unknown> | null;
  parent: string | null;
  children: string[];
};

const message = (id: string, role: string, parts: unknown[], extra: Record<string, unknown> = {}) => ({
  id,
  author: { role, name: null, metadata: {} },
  create_time: 1_735_725_600 + Number(id.replace(/\D/g, '') || 0),
  update_time: null,
  content: { content_type: 'text', parts },
  status: 'finished_successfully',
  end_turn: role === 'assistant' ? true : null,
  weight: 1,
  metadata: {},
  recipient: 'all',
  ...extra,
});

/**
 * The conversation data ChatGPT embeds: a `mapping` tree whose path to `current_node` is the
 * conversation, with a hidden system message at the root and an abandoned branch (an edited
 * first question) that must not appear in the transcript.
 */
export function conversationData({ messages = CONVERSATION, linear = false }: { messages?: FixtureMessage[]; linear?: boolean } = {}): Record<string, unknown> {
  const nodes: Node[] = [
    { id: 'root', message: null, parent: null, children: ['sys'] },
    {
      id: 'sys',
      message: message('sys', 'system', [''], { metadata: { is_visually_hidden_from_conversation: true } }),
      parent: 'root',
      children: ['abandoned', 'm1'],
    },
    { id: 'abandoned', message: message('abandoned', 'user', ['An earlier wording of the question that was edited away.']), parent: 'sys', children: [] },
  ];
  let parent = 'sys';
  messages.forEach((m, i) => {
    const id = `m${i + 1}`;
    nodes.find((n) => n.id === parent)!.children = parent === 'sys' ? ['abandoned', id] : [id];
    nodes.push({ id, message: message(id, m.role, [m.text]), parent, children: [] });
    parent = id;
  });
  const mapping = Object.fromEntries(nodes.map((n) => [n.id, n]));
  return {
    title: SHARE_TITLE,
    create_time: 1_735_725_600.5,
    update_time: 1_735_729_200.25,
    mapping,
    moderation_results: [],
    current_node: parent,
    conversation_id: '6830a1b2-0c44-8000-9a4c-52c7d1e0f1ab',
    is_archived: false,
    safe_urls: [],
    default_model_slug: 'gpt-4o',
    ...(linear ? { linear_conversation: ['root', 'sys', ...messages.map((_, i) => `m${i + 1}`)].map((id) => mapping[id]) } : {}),
  };
}

const head = (title: string) =>
  `<!DOCTYPE html><html lang="en-US" data-build="prod-4f1a"><head><meta charSet="utf-8"/>` +
  `<meta name="viewport" content="width=device-width, initial-scale=1"/><title>${title}</title>` +
  `<meta property="og:site_name" content="ChatGPT"/><link rel="stylesheet" href="https://cdn.oaistatic.com/assets/root-j2oag4nj.css"/></head>`;

/** The Next.js share page (2023–2024): everything in `<script id="__NEXT_DATA__">`. */
export function nextDataPage(data = conversationData()): string {
  const nextData = {
    props: {
      pageProps: {
        sharedConversationId: '6830a1b2-0c44-8000-9a4c-52c7d1e0f1ab',
        serverResponse: { type: 'data', data },
        continueMode: false,
        moderationMode: false,
        chatPageProps: {},
      },
      __N_SSP: true,
    },
    page: '/share/[[...shareParams]]',
    query: { shareParams: ['6830a1b2-0c44-8000-9a4c-52c7d1e0f1ab'] },
    buildId: 'WLHd8p4mhkEr9p8cBvNb1',
    assetPrefix: 'https://cdn.oaistatic.com',
    isFallback: false,
    gssp: true,
    scriptLoader: [],
  };
  return (
    `${head(`ChatGPT - ${SHARE_TITLE}`)}<body class="antialiased"><div id="__next"><div class="relative flex h-full">` +
    `<main><div class="flex flex-col text-sm"><div class="mx-auto">Loading…</div></div></main></div></div>` +
    `<script id="__NEXT_DATA__" type="application/json" crossorigin="anonymous">${JSON.stringify(nextData).replace(/</g, '\\u003c')}</script>` +
    `<script src="https://cdn.oaistatic.com/_next/static/chunks/webpack-1f2d.js" defer=""></script></body></html>`
  );
}

/** turbo-stream's flattening: index 0 is the root; objects map "_<key index>" to value indices; strings deduplicated. */
export function flatten(root: unknown): unknown[] {
  const values: unknown[] = [];
  const strings = new Map<string, number>();
  const encode = (value: unknown): number => {
    if (value === null) return -5;
    if (value === undefined) return -7;
    if (typeof value === 'string' && strings.has(value)) return strings.get(value)!;
    const index = values.length;
    values.push(null);
    if (typeof value === 'string') strings.set(value, index);
    if (Array.isArray(value)) values[index] = value.map(encode);
    else if (value instanceof Date) values[index] = ['D', value.getTime()];
    else if (typeof value === 'object') values[index] = Object.fromEntries(Object.entries(value).map(([k, v]) => [`_${encode(k)}`, encode(v)]));
    else values[index] = value;
    return index;
  };
  encode(root);
  return values;
}

/**
 * The React Router share page (2025–): the loader data as a turbo-stream written into
 * `window.__reactRouterContext.streamController.enqueue("...")` calls: the first line split across
 * two calls, a deferred promise resolved on a later line.
 */
export function reactRouterPage(data = conversationData({ linear: true })): string {
  const loaderData = {
    loaderData: {
      root: { rebrandEnabled: true, cspNonce: 'n0nce', clientBootstrap: { session: null }, serverTime: new Date('2026-01-01T10:00:00Z') },
      'routes/share.$shareId.($action)': {
        serverResponse: { type: 'data', data },
        sharedConversationId: '6830a1b2-0c44-8000-9a4c-52c7d1e0f1ab',
        continueConversationUrl: 'https://chatgpt.com/share/6830a1b2-0c44-8000-9a4c-52c7d1e0f1ab/continue',
      },
    },
    actionData: null,
    errors: null,
  };
  const values = flatten(loaderData);
  // A deferred value: ["P", n] in the first line, resolved by a later "P<n>:" line.
  values.push(['P', values.length]);
  const firstLine = `${JSON.stringify(values)}\n`;
  const cut = Math.floor(firstLine.length / 2);
  const enqueue = (chunk: string) => `<script nonce="n0nce">window.__reactRouterContext.streamController.enqueue(${JSON.stringify(chunk)});</script>`;
  return (
    `${head(SHARE_TITLE)}<body><div id="root"></div>` +
    `<script nonce="n0nce">window.__reactRouterContext = {"basename":"/","future":{"unstable_middleware":false},"isSpaMode":false,"ssr":true};` +
    `window.__reactRouterContext.stream = new ReadableStream({start(controller){window.__reactRouterContext.streamController = controller;}}).pipeThrough(new TextEncoderStream());</script>` +
    `<script type="module" async nonce="n0nce">import "https://cdn.oaistatic.com/assets/manifest-12ab.js";</script>` +
    enqueue(firstLine.slice(0, cut)) +
    enqueue(firstLine.slice(cut)) +
    enqueue(`P${values.length - 1}:[{"_1":2},"shareOgImage","https://cdn.oaistatic.com/og.png"]\n`) +
    `<script nonce="n0nce">window.__reactRouterContext.streamController.close();</script></body></html>`
  );
}

/** A page whose data is gone (a future embedding) but whose messages are rendered: the HTML fallback. */
export function renderedPage(messages: FixtureMessage[] = CONVERSATION): string {
  const turns = messages
    .map((m, i) =>
      m.role === 'user'
        ? `<article data-testid="conversation-turn-${i + 1}"><h5 class="sr-only">You said:</h5><div data-message-author-role="user" data-message-id="u${i}">` +
          `<div class="flex"><div class="whitespace-pre-wrap">${escapeHtml(m.text)}</div></div></div></article>`
        : `<article data-testid="conversation-turn-${i + 1}"><h6 class="sr-only">ChatGPT said:</h6><div data-message-author-role="assistant" data-message-id="a${i}">` +
          `<div class="markdown prose w-full">${m.text
            .split('\n\n')
            .map((p) => `<p>${escapeHtml(p)}</p>`)
            .join('')}</div></div></article>`,
    )
    .join('');
  return `${head(`${SHARE_TITLE} | ChatGPT`)}<body><main><h1 class="text-3xl">${SHARE_TITLE}</h1><div class="flex flex-col">${turns}</div></main></body></html>`;
}

/** A share page that holds no conversation at all (e.g. a login wall). */
export function emptyPage(): string {
  return `${head('ChatGPT')}<body><main><h1>Log in to continue</h1></main></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
