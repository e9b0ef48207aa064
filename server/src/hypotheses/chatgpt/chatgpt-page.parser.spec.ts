import {
  CONVERSATION,
  conversationData,
  emptyPage,
  flatten,
  nextDataPage,
  reactRouterPage,
  renderedPage,
  SHARE_TITLE,
} from '../../../test/support/chatgpt-pages.js';
import { ChatGptPageFormat } from './chatgpt-import.js';
import { parseSharePage, unflatten } from './chatgpt-page.parser.js';

describe('parseSharePage', () => {
  it('reads a Next.js page: the path to current_node, without hidden messages or abandoned branches', () => {
    expect(parseSharePage(nextDataPage())).toEqual({ title: SHARE_TITLE, messages: CONVERSATION, format: ChatGptPageFormat.NEXT_DATA });
  });

  it('reads a React Router page: the turbo-stream split over several enqueue calls, linear_conversation in order', () => {
    expect(parseSharePage(reactRouterPage())).toEqual({ title: SHARE_TITLE, messages: CONVERSATION, format: ChatGptPageFormat.REACT_ROUTER_STREAM });
  });

  it('follows the mapping when a React Router page has no linear_conversation', () => {
    expect(parseSharePage(reactRouterPage(conversationData({ linear: false })))?.messages).toEqual(CONVERSATION);
  });

  it('falls back to the rendered messages, keeping paragraphs apart', () => {
    const parsed = parseSharePage(renderedPage());
    expect(parsed).toEqual({ title: SHARE_TITLE, messages: CONVERSATION, format: ChatGptPageFormat.RENDERED_HTML });
  });

  it('follows the newest branch from the root when current_node is missing, and joins multi-part content', () => {
    const data = conversationData();
    delete data.current_node;
    const mapping = data.mapping as Record<string, any>;
    mapping.m1.message.content = { content_type: 'multimodal_text', parts: [{ asset_pointer: 'file-service://img' }, 'Caption of the figure', 'and more'] };
    const parsed = parseSharePage(nextDataPage(data));
    expect(parsed?.messages.map((m) => m.text)).toEqual(['Caption of the figure\n\nand more', ...CONVERSATION.slice(1).map((m) => m.text)]);
  });

  it('uses the page title when the data has none, without the ChatGPT prefix', () => {
    const data = conversationData();
    delete data.title;
    expect(parseSharePage(nextDataPage(data))?.title).toBe(SHARE_TITLE);
  });

  it('returns null for a page without a conversation, and survives broken embedded data', () => {
    expect(parseSharePage(emptyPage())).toBeNull();
    expect(parseSharePage('<script id="__NEXT_DATA__">{not json</script>')).toBeNull();
    expect(parseSharePage('<script>window.__reactRouterContext.streamController.enqueue("[1, 2");</script>')).toBeNull();
    expect(parseSharePage('')).toBeNull();
  });
});

describe('unflatten', () => {
  it('rebuilds shared strings, nested objects, constants and dates', () => {
    const value = { a: 'x', b: ['x', null, undefined], c: { d: 1.5, e: new Date(0) } };
    expect(unflatten(flatten(value))).toEqual({ a: 'x', b: ['x', null, undefined], c: { d: 1.5, e: '1970-01-01T00:00:00.000Z' } });
  });

  it('does not loop on a self-referencing graph', () => {
    const graph = unflatten([{ _1: 0 }, 'self']) as Record<string, unknown>;
    expect(graph.self).toBe(graph);
  });
});
