import { load } from 'cheerio';
import { type ChatGptConversation, type ChatGptMessage, ChatGptPageFormat } from './chatgpt-import.js';

/**
 * Reads the conversation out of a ChatGPT share page. Share pages embed the conversation as data
 * for the client to hydrate; two embeddings have been used:
 *  - Next.js: `<script id="__NEXT_DATA__" type="application/json">` with
 *    props.pageProps.serverResponse.data = { title, mapping, current_node, linear_conversation? };
 *  - React Router: `window.__reactRouterContext.streamController.enqueue("...")` calls whose
 *    strings form a turbo-stream: the first line is a flattened value graph holding the same
 *    `data` under loaderData["routes/share.$shareId.($action)"].serverResponse.
 * When neither yields messages, the rendered message elements (`[data-message-author-role]`) are read.
 * Returns null when the page holds no conversation at all.
 */
export function parseSharePage(html: string): ChatGptConversation | null {
  const $ = load(html);
  const pageTitle = cleanTitle($('title').first().text());

  const nextData = $('script#__NEXT_DATA__').first().text();
  if (nextData) {
    const data = dig(safeJson(nextData), ['props', 'pageProps', 'serverResponse', 'data']);
    const conversation = fromConversationData(data, ChatGptPageFormat.NEXT_DATA, pageTitle);
    if (conversation) return conversation;
  }

  const stream = reactRouterStream(html);
  if (stream !== undefined) {
    const conversation = fromConversationData(findConversationData(stream), ChatGptPageFormat.REACT_ROUTER_STREAM, pageTitle);
    if (conversation) return conversation;
  }

  const messages: ChatGptMessage[] = [];
  $('[data-message-author-role]').each((_, element) => {
    const role = $(element).attr('data-message-author-role');
    if (role !== 'user' && role !== 'assistant') return;
    const found = $(element).find('.whitespace-pre-wrap, .markdown').first();
    const body = found.length > 0 ? found : $(element);
    // Paragraphs, list items and code blocks are separate blocks of the message, not one run of text.
    const blocks = body.find('p, li, pre, h1, h2, h3, h4, h5, h6, blockquote').filter((_, block) => $(block).parents('p, li, pre, blockquote').length === 0);
    const text = tidy(blocks.length > 0 ? blocks.map((_, block) => $(block).text()).get().join('\n\n') : body.text());
    if (text) messages.push({ role, text });
  });
  if (messages.length === 0) return null;
  const heading = cleanTitle($('h1').first().text());
  return { title: heading ?? pageTitle, messages, format: ChatGptPageFormat.RENDERED_HTML };
}

// --- the conversation object (same shape in both embeddings) ---------------------------------------

interface RawNode {
  id?: string;
  parent?: string | null;
  children?: string[];
  message?: {
    author?: { role?: string };
    content?: { content_type?: string; parts?: unknown[]; text?: unknown };
    metadata?: { is_visually_hidden_from_conversation?: boolean };
  } | null;
}

function fromConversationData(data: unknown, format: ChatGptPageFormat, pageTitle: string | null): ChatGptConversation | null {
  if (!isObject(data)) return null;
  const nodes = orderedNodes(data);
  const messages = nodes.flatMap((node) => {
    const message = messageOf(node);
    return message ? [message] : [];
  });
  if (messages.length === 0) return null;
  const title = typeof data.title === 'string' ? cleanTitle(data.title) : null;
  return { title: title ?? pageTitle, messages, format };
}

/** linear_conversation when present; else the path from the root to current_node through `mapping`. */
function orderedNodes(data: Record<string, unknown>): RawNode[] {
  if (Array.isArray(data.linear_conversation)) return data.linear_conversation.filter(isObject) as RawNode[];
  const mapping = data.mapping;
  if (!isObject(mapping)) return [];
  const byId = mapping as Record<string, RawNode>;
  let leaf = typeof data.current_node === 'string' ? data.current_node : undefined;
  if (!leaf || !byId[leaf]) {
    // No current node: follow the newest branch from the root down.
    let node = Object.values(byId).find((n) => isObject(n) && !n.parent);
    while (node?.children?.length) node = byId[node.children.at(-1)!];
    leaf = node?.id;
  }
  const path: RawNode[] = [];
  const seen = new Set<string>();
  for (let id = leaf; id && byId[id] && !seen.has(id); id = byId[id].parent ?? undefined) {
    seen.add(id);
    path.push(byId[id]);
  }
  return path.reverse();
}

function messageOf(node: RawNode): ChatGptMessage | null {
  const message = node.message;
  if (!isObject(message) || message.metadata?.is_visually_hidden_from_conversation) return null;
  const role = message.author?.role;
  if (role !== 'user' && role !== 'assistant') return null;
  const content = message.content;
  let text = '';
  if (Array.isArray(content?.parts)) text = content.parts.filter((p): p is string => typeof p === 'string').join('\n\n');
  else if (typeof content?.text === 'string') text = content.text;
  text = tidy(text);
  return text ? { role, text } : null;
}

// --- React Router turbo-stream --------------------------------------------------------------------

/** The hydrated first line of the page's turbo-stream, or undefined when the page has none. */
function reactRouterStream(html: string): unknown {
  const chunks = enqueuedStrings(html);
  if (chunks.length === 0) return undefined;
  const firstLine = chunks.join('').split('\n')[0];
  const values = safeJson(firstLine);
  return Array.isArray(values) ? unflatten(values) : undefined;
}

/** The string literals passed to `streamController.enqueue(...)`, unescaped. */
function enqueuedStrings(html: string): string[] {
  const marker = 'streamController.enqueue(';
  const strings: string[] = [];
  for (let from = html.indexOf(marker); from !== -1; from = html.indexOf(marker, from + 1)) {
    const start = from + marker.length;
    if (html[start] !== '"') continue;
    let end = start + 1;
    while (end < html.length && html[end] !== '"') end += html[end] === '\\' ? 2 : 1;
    const literal = safeJson(html.slice(start, end + 1));
    if (typeof literal === 'string') strings.push(literal);
  }
  return strings;
}

// turbo-stream's encoded constants.
const SPECIAL: Record<number, unknown> = { [-1]: undefined, [-2]: NaN, [-3]: -Infinity, [-4]: -0, [-5]: null, [-6]: Infinity, [-7]: undefined };

/**
 * Rebuilds a turbo-stream value graph: index 0 is the root; arrays hold indices, objects map
 * "_<key index>" to a value index, negative numbers are constants, and ["X", ...] tuples are typed
 * values (dates, promises resolved in later lines, ...), which a transcript does not need.
 */
export function unflatten(values: unknown[]): unknown {
  const hydrated = new Map<number, unknown>();
  const hydrate = (index: unknown): unknown => {
    if (typeof index !== 'number' || !Number.isInteger(index)) return undefined;
    if (index < 0) return SPECIAL[index];
    if (hydrated.has(index)) return hydrated.get(index);
    const value = values[index];
    if (value === null || typeof value !== 'object') {
      hydrated.set(index, value);
      return value;
    }
    if (Array.isArray(value)) {
      if (typeof value[0] === 'string') {
        // A typed value: a date keeps its time, anything else is dropped.
        const typed = value[0] === 'D' && typeof value[1] === 'number' ? new Date(value[1]).toISOString() : undefined;
        hydrated.set(index, typed);
        return typed;
      }
      const array: unknown[] = [];
      hydrated.set(index, array);
      for (const child of value) array.push(hydrate(child));
      return array;
    }
    const object: Record<string, unknown> = {};
    hydrated.set(index, object);
    for (const [key, child] of Object.entries(value)) {
      const name = key.startsWith('_') ? hydrate(Number(key.slice(1))) : key;
      if (typeof name === 'string') object[name] = hydrate(child);
    }
    return object;
  };
  return hydrate(0);
}

/** The first object in the graph that holds a conversation (linear_conversation or mapping). */
function findConversationData(root: unknown): unknown {
  const seen = new Set<unknown>();
  const stack = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (!isObject(value) || seen.has(value)) continue;
    seen.add(value);
    if (!Array.isArray(value) && (Array.isArray(value.linear_conversation) || isObject(value.mapping))) return value;
    stack.push(...Object.values(value).reverse());
  }
  return undefined;
}

// --- small helpers --------------------------------------------------------------------------------

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function dig(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>((at, key) => (isObject(at) ? at[key] : undefined), value);
}

function tidy(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** Page titles read "ChatGPT - <title>" or "<title> | ChatGPT"; a bare "ChatGPT" is no title. */
function cleanTitle(raw: string | undefined): string | null {
  const title = (raw ?? '')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^ChatGPT\s*[-–|:]\s*/i, '')
    .replace(/\s*[-–|]\s*ChatGPT$/i, '')
    .trim();
  return title && title.toLowerCase() !== 'chatgpt' ? title : null;
}
